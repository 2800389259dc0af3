// MP3 joining for sentence mode: MP3 is a sequence of self-contained frames, so clips of one
// format join by concatenating their frames. Tags are not frames: a follower's leading ID3v2 tag,
// any trailing ID3v1 tag, and the Xing/Info/VBRI header frame (which states the length of one
// clip and would make players stop or mis-seek in the joined file) are removed. A clip with no audio
// frame (an upstream that ignored response_format and sent WAV, or no audio at all) is refused, so a
// join never turns such bytes into an empty file.

export interface Mp3FrameHeader {
  /** 1, 2 or 2.5 */
  version: 1 | 2 | 2.5;
  layer: 1 | 2 | 3;
  bitrateKbps: number;
  sampleRate: number;
  padding: boolean;
  channels: 1 | 2;
  /** Whole frame in bytes, header included. */
  frameLength: number;
}

const BITRATES: Record<string, number[]> = {
  // [version-group][layer] → index 1..14
  'v1l1': [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
  'v1l2': [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
  'v1l3': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  'v2l1': [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
  'v2l2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  'v2l3': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const RATES: Record<string, number[]> = { '1': [44100, 48000, 32000], '2': [22050, 24000, 16000], '2.5': [11025, 12000, 8000] };

/** Parse a frame header at `at`, or null when the bytes there are not one. */
export function readMp3Frame(buf: Uint8Array, at: number): Mp3FrameHeader | null {
  if (at + 4 > buf.length || buf[at] !== 0xff || (buf[at + 1] & 0xe0) !== 0xe0) return null;
  const versionBits = (buf[at + 1] >> 3) & 3;
  const layerBits = (buf[at + 1] >> 1) & 3;
  const bitrateIndex = buf[at + 2] >> 4;
  const rateIndex = (buf[at + 2] >> 2) & 3;
  if (versionBits === 1 || layerBits === 0 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3) return null;
  const version = versionBits === 3 ? 1 : versionBits === 2 ? 2 : 2.5;
  const layer = (4 - layerBits) as 1 | 2 | 3;
  const bitrateKbps = BITRATES[`${version === 1 ? 'v1' : 'v2'}l${layer}`][bitrateIndex];
  const sampleRate = RATES[String(version)][rateIndex];
  const padding = ((buf[at + 2] >> 1) & 1) === 1;
  const channels = (buf[at + 3] >> 6) === 3 ? 1 : 2;
  const bitrate = bitrateKbps * 1000;
  const frameLength = layer === 1
    ? (Math.floor((12 * bitrate) / sampleRate) + (padding ? 1 : 0)) * 4
    : Math.floor(((layer === 3 && version !== 1 ? 72 : 144) * bitrate) / sampleRate) + (padding ? 1 : 0);
  return { version, layer, bitrateKbps, sampleRate, padding, channels, frameLength };
}

/** Bytes of a leading ID3v2 tag (0 when there is none). */
export function id3v2Length(buf: Uint8Array): number {
  if (buf.length < 10 || buf[0] !== 0x49 || buf[1] !== 0x44 || buf[2] !== 0x33) return 0; // "ID3"
  const size = ((buf[6] & 0x7f) << 21) | ((buf[7] & 0x7f) << 14) | ((buf[8] & 0x7f) << 7) | (buf[9] & 0x7f);
  const footer = (buf[5] & 0x10) !== 0 ? 10 : 0;
  return Math.min(buf.length, 10 + size + footer);
}

function hasId3v1(buf: Uint8Array): boolean {
  return buf.length >= 128 && buf[buf.length - 128] === 0x54 && buf[buf.length - 127] === 0x41 && buf[buf.length - 126] === 0x47; // "TAG"
}

function isInfoFrame(buf: Uint8Array, at: number, frameLength: number): boolean {
  const text = Buffer.from(buf.buffer, buf.byteOffset + at, Math.min(frameLength, buf.length - at, 64)).toString('latin1');
  return text.includes('Xing') || text.includes('Info') || text.includes('VBRI');
}

/** The bytes are not MP3 audio: they hold no MPEG audio frame. */
export class Mp3FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Mp3FormatError';
  }
}

/** Frames that must follow one another (or end the bytes) before a header found by scanning counts. */
const CONFIRMING_FRAMES = 3;

/**
 * Whether `frame` at `at` starts a run of CONFIRMING_FRAMES frames of one version, layer and rate, or, when
 * `mayEnd`, of fewer that ends the bytes (a short clip).
 */
function startsRun(buf: Buffer, at: number, frame: Mp3FrameHeader, mayEnd: boolean): boolean {
  for (let n = 1, next = at + frame.frameLength; n < CONFIRMING_FRAMES; n++) {
    if (next === buf.length && mayEnd) return true;
    const after = readMp3Frame(buf, next);
    if (!after || after.version !== frame.version || after.layer !== frame.layer || after.sampleRate !== frame.sampleRate) return false;
    next += after.frameLength;
  }
  return true;
}

/**
 * Offset of the first frame in buf[start, end), or -1. 0xFFE sync bits turn up by chance in other bytes
 * (WAV or PCM samples), so a header counts only when frames follow it back to back; a clip too short for
 * that counts only when its frames start at `start` and fill it exactly.
 */
function firstFrame(buf: Buffer, start: number, end: number): number {
  const within = buf.subarray(0, end);
  for (let at = start; at < end; at++) {
    const frame = readMp3Frame(within, at);
    if (frame && startsRun(within, at, frame, at === start)) return at;
  }
  return -1;
}

function isRiffWave(buf: Buffer): boolean {
  return buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WAVE';
}

/**
 * The audio frames of one clip: tags and the Xing/Info frame removed, bytes before the first frame skipped.
 * Throws Mp3FormatError when there is no audio frame.
 */
export function mp3AudioFrames(clip: Uint8Array): Buffer {
  const buf = Buffer.from(clip.buffer, clip.byteOffset, clip.byteLength);
  if (isRiffWave(buf)) throw new Mp3FormatError('it is a RIFF/WAVE file');
  const end = hasId3v1(buf) ? buf.length - 128 : buf.length;
  let start = firstFrame(buf, id3v2Length(buf), end);
  if (start < 0) throw new Mp3FormatError(buf.length === 0 ? 'no bytes' : 'no MPEG audio frame');
  const first = readMp3Frame(buf, start)!;
  if (isInfoFrame(buf, start, first.frameLength)) start += first.frameLength;
  if (start >= end) throw new Mp3FormatError('no MPEG audio frame after its Xing/Info header');
  return buf.subarray(start, end);
}

/**
 * Join MP3 clips: the first clip's ID3v2 tag is kept, every clip contributes its audio frames only.
 * Throws Mp3FormatError when a clip has no audio frame.
 */
export function concatMp3(clips: readonly Uint8Array[]): Buffer {
  if (clips.length === 0) return Buffer.alloc(0);
  const lead = Buffer.from(clips[0].buffer, clips[0].byteOffset, id3v2Length(clips[0]));
  return Buffer.concat([lead, ...clips.map((c) => mp3AudioFrames(c))]);
}
