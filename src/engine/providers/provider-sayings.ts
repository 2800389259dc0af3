// What a built-in provider refuses before calling anyone (a model it has for another endpoint, a voice
// it does not have, a format it cannot give), each made once as the engine's English, the 400's
// message, and as data the panel words in the reader's language.
import type { Endpoint } from '../../shared/targets.ts';
import { said } from '../sayings.ts';

const API_NAMES: Record<Endpoint, string> = { chat: 'chat completions', embeddings: 'embeddings', speech: 'speech' };

/** One of the simulator's models asked for at another endpoint (sim-embed for chat). */
export const otherEndpointModel = (model: string, own: Endpoint, wanted: Endpoint, models: readonly string[]) =>
  said(`'${model}' is the simulator's ${API_NAMES[own]} model; for ${API_NAMES[wanted]} use ${models.join(' or ')}.`, 'provider.otherEndpointModel', {
    model, own, wanted, models: [...models],
  });

export const simulatorVoice = (voice: string, voices: readonly string[]) =>
  said(`The simulator has no voice '${voice}'; its voices are ${voices.join(', ')}.`, 'provider.simulator.voice', { voice, voices: [...voices] });
export const simulatorFormat = (format: string) => said(`The simulator's voices can give wav or pcm, not '${format}'.`, 'provider.simulator.format', { format });

export const edgeFormat = (voice: string, formats: readonly string[], format: string) =>
  said(`Voice '${voice}' of Edge read-aloud can give ${formats.join(', ')}, not '${format}'.`, 'provider.edge.format', { voice, formats: [...formats], format });
export const edgeVoice = (voice: string) =>
  said(`Unknown voice '${voice}' for Edge read-aloud; voices look like zh-CN-XiaoxiaoNeural or en-US-AriaNeural.`, 'provider.edge.voice', { voice });

export const espeakFormat = (voice: string, formats: readonly string[], format: string, needsFfmpeg: boolean) =>
  said(`Voice '${voice}' of espeak-ng can give ${formats.join(', ')}, not '${format}'${needsFfmpeg ? ` ('${format}' needs ffmpeg, which is not on PATH)` : ''}.`,
    'provider.espeak.format', { voice, formats: [...formats], format, ffmpeg: needsFfmpeg ? 1 : 0 });
export const espeakVoice = (voice: string) =>
  said(`Unknown voice '${voice}' for espeak-ng; try en-us, en-gb, cmn (Chinese), fr, de, es or see the voice list.`, 'provider.espeak.voice', { voice });
