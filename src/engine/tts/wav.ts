// RIFF/WAVE helpers for speech audio: parse a header, build one, join clips, measure duration.
// Streamed WAV (sentence mode) is written before its length is known: its RIFF and data sizes are
// 0xFFFFFFFF, which players read as "until the end of the stream". `finalizeWav` rewrites them once
// the whole body is known. espeak-ng's `--stdout` uses 0x7FFFF000 the same way; parsing clamps the
// data chunk to the bytes actually present.

export interface WavFormat {
  /** 1 = integer PCM, 3 = IEEE float. */
  audioFormat: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
}

export interface WavInfo extends WavFormat {
  byteRate: number;
  blockAlign: number;
  /** Offset of the first sample byte. */
  dataOffset: number;
  /** Bytes of sample data actually present (never past the end of the buffer). */
  dataLength: number;
  /** The data chunk declared an unknown/streaming size (0xFFFFFFFF, 0x7FFFF000, 0) or more bytes than present. */
  sizeUnknown: boolean;
}

/** Sizes written into a header whose length is not known yet. */
export const WAV_UNKNOWN_SIZE = 0xffffffff;

export class WavFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WavFormatError';
  }
}

function ascii(buf: Uint8Array, at: number, len = 4): string {
  return Buffer.from(buf.buffer, buf.byteOffset + at, len).toString('latin1');
}

/** Read a WAV header. Throws WavFormatError when the bytes are not a PCM/float RIFF WAVE. */
export function parseWav(input: Uint8Array): WavInfo {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (buf.length < 12 || ascii(buf, 0) !== 'RIFF' || ascii(buf, 8) !== 'WAVE') throw new WavFormatError('not a RIFF/WAVE file');
  let at = 12;
  let fmt: WavFormat & { byteRate: number; blockAlign: number } | null = null;
  while (at + 8 <= buf.length) {
    const id = ascii(buf, at);
    const size = buf.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buf.length) throw new WavFormatError('truncated fmt chunk');
      fmt = {
        audioFormat: buf.readUInt16LE(body),
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        byteRate: buf.readUInt32LE(body + 8),
        blockAlign: buf.readUInt16LE(body + 12),
        bitsPerSample: buf.readUInt16LE(body + 14),
      };
      if (fmt.audioFormat === 0xfffe && size >= 40) fmt.audioFormat = buf.readUInt16LE(body + 24); // WAVE_FORMAT_EXTENSIBLE sub-format
      if (fmt.channels === 0 || fmt.sampleRate === 0 || fmt.bitsPerSample === 0) throw new WavFormatError('fmt chunk has zero channels, rate or sample size');
      if (fmt.blockAlign === 0) fmt.blockAlign = fmt.channels * Math.ceil(fmt.bitsPerSample / 8);
    } else if (id === 'data') {
      if (!fmt) throw new WavFormatError('data chunk before fmt chunk');
      const present = buf.length - body;
      const sizeUnknown = size === WAV_UNKNOWN_SIZE || size === 0x7ffff000 || size === 0 || size > present;
      const raw = sizeUnknown ? present : size;
      const dataLength = raw - (raw % fmt.blockAlign);
      return { ...fmt, dataOffset: body, dataLength, sizeUnknown };
    }
    at = body + size + (size % 2);
  }
  throw new WavFormatError(fmt ? 'no data chunk' : 'no fmt chunk');
}

/** A canonical 44-byte PCM header. Omit `dataLength` for a streamed header of unknown size. */
export function buildWavHeader(format: WavFormat, dataLength?: number): Buffer {
  const { channels, sampleRate, bitsPerSample } = format;
  if (!Number.isInteger(channels) || channels < 1) throw new RangeError(`channels must be a positive integer, got ${channels}`);
  if (!Number.isInteger(sampleRate) || sampleRate < 1) throw new RangeError(`sampleRate must be a positive integer, got ${sampleRate}`);
  if (bitsPerSample % 8 !== 0 || bitsPerSample < 8) throw new RangeError(`bitsPerSample must be a multiple of 8, got ${bitsPerSample}`);
  const blockAlign = channels * (bitsPerSample / 8);
  const h = Buffer.alloc(44);
  const known = dataLength !== undefined;
  if (known && (!Number.isInteger(dataLength) || dataLength < 0 || dataLength > 0xffffffff - 36)) throw new RangeError(`dataLength out of range: ${dataLength}`);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(known ? 36 + dataLength : WAV_UNKNOWN_SIZE, 4);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', 12, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(format.audioFormat || 1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * blockAlign, 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(bitsPerSample, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(known ? dataLength : WAV_UNKNOWN_SIZE, 40);
  return h;
}

/** The sample bytes of a WAV (no header). */
export function wavSamples(wav: Uint8Array): Buffer {
  const info = parseWav(wav);
  return Buffer.from(wav.buffer, wav.byteOffset + info.dataOffset, info.dataLength);
}

export function sameFormat(a: WavFormat, b: WavFormat): boolean {
  return a.audioFormat === b.audioFormat && a.channels === b.channels && a.sampleRate === b.sampleRate && a.bitsPerSample === b.bitsPerSample;
}

/** Rewrite as a canonical 44-byte header with exact sizes (drops extra chunks such as LIST). */
export function finalizeWav(wav: Uint8Array): Buffer {
  const info = parseWav(wav);
  return Buffer.concat([buildWavHeader(info, info.dataLength), wavSamples(wav)]);
}

/** Join clips of one format into one WAV with a correct header. Throws WavFormatError on mixed formats. */
export function concatWav(clips: readonly Uint8Array[]): Buffer {
  if (clips.length === 0) throw new WavFormatError('no clips to join');
  const first = parseWav(clips[0]);
  const parts = clips.map((c, i) => {
    const info = i === 0 ? first : parseWav(c);
    if (!sameFormat(first, info)) throw new WavFormatError(`clip ${i} is ${describe(info)}, clip 0 is ${describe(first)}`);
    return Buffer.from(c.buffer, c.byteOffset + info.dataOffset, info.dataLength);
  });
  const length = parts.reduce((n, p) => n + p.length, 0);
  return Buffer.concat([buildWavHeader(first, length), ...parts], 44 + length);
}

export function describe(f: WavFormat): string {
  return `${f.sampleRate} Hz, ${f.channels} ch, ${f.bitsPerSample}-bit${f.audioFormat === 3 ? ' float' : ''}`;
}

/** Duration of raw PCM bytes in milliseconds. */
export function pcmDurationMs(byteLength: number, format: WavFormat): number {
  const bytesPerSecond = format.sampleRate * format.channels * (format.bitsPerSample / 8);
  return (byteLength / bytesPerSecond) * 1000;
}

/** Duration of a WAV in milliseconds, from the samples actually present. */
export function wavDurationMs(wav: Uint8Array): number {
  const info = parseWav(wav);
  return pcmDurationMs(info.dataLength, info);
}
