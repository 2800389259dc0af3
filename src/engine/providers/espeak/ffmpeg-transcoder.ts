// WAV → mp3/opus/aac/flac through a local ffmpeg (when one is on PATH), run like any other process:
// argument array, stdin in, stdout out, timeout and size limit.
import type { Clock } from '../../clock.ts';
import { runProcess } from './run-process.ts';

export type TranscodedFormat = 'mp3' | 'opus' | 'aac' | 'flac';
export const TRANSCODED_FORMATS: readonly TranscodedFormat[] = ['mp3', 'opus', 'aac', 'flac'];

const OUTPUT_ARGS: Record<TranscodedFormat, string[]> = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'],
  opus: ['-c:a', 'libopus', '-b:a', '32k', '-f', 'ogg'],
  aac: ['-c:a', 'aac', '-b:a', '64k', '-f', 'adts'],
  flac: ['-c:a', 'flac', '-f', 'flac'],
};

export interface TranscodeOptions {
  provider: string;
  ffmpegPath: string;
  timeoutMs: number;
  maxOutputBytes: number;
  clock: Clock;
  signal?: AbortSignal;
}

export function ffmpegArgs(format: TranscodedFormat): string[] {
  return ['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'wav', '-i', 'pipe:0', '-map_metadata', '-1', ...OUTPUT_ARGS[format], 'pipe:1'];
}

export function transcodeWav(wav: Uint8Array, format: TranscodedFormat, opts: TranscodeOptions): Promise<Buffer> {
  return runProcess({
    provider: opts.provider, command: opts.ffmpegPath, args: ffmpegArgs(format), stdin: wav,
    timeoutMs: opts.timeoutMs, maxOutputBytes: opts.maxOutputBytes, clock: opts.clock, signal: opts.signal,
  });
}
