// Text-to-speech as one capability: registers the espeak-ng and Edge read-aloud provider types,
// offers espeak-ng by default when it is installed, adds to the pipeline (slot 'speech') the choice of
// a format the client did not name and sentence mode with its per-reply gate around upstream calls,
// and lists voices at `GET /v1/audio/voices` and in the admin API. Validation of the speech body
// lives at the edge (speech-request.ts), the caching of audio in the cache feature.
import { availableParallelism } from 'node:os';
import type { ProviderConfig } from '../../shared/config.ts';
import type { TtsConfig } from '../../shared/tts.ts';
import { refuseUnknown } from '../admin/refuse-unknown.ts';
import type { FeatureDefinition } from '../feature.ts';
import { sendJson } from '../http/error-response.ts';
import { edgeTtsFactory } from '../providers/edge-tts/edge-tts-adapter.ts';
import { espeakFactory } from '../providers/espeak/espeak-adapter.ts';
import { findExecutable } from '../providers/espeak/find-executable.ts';
import { createSentenceStage, gateSentenceCalls, markSentenceCalls } from './sentence-stage.ts';
import { createSpeechFormatStage } from './speech-format-stage.ts';
import { readTtsConfig } from './tts-config.ts';
import { VoiceDirectory } from './voice-directory.ts';

export interface TtsService {
  /** The validated `tts` config section. */
  config(): TtsConfig;
  voices: VoiceDirectory;
}

declare module '../feature.ts' {
  interface Services {
    tts: TtsService;
  }
}

export const VOICES_PATH = '/v1/audio/voices';

/** espeak-ng as a provider when it is on PATH: at most one process per CPU at a time. */
export function detectEspeak(pathEnv: string | undefined = process.env.PATH): ProviderConfig[] {
  if (!findExecutable('espeak-ng', pathEnv)) return [];
  return [{
    id: 'espeak', type: 'espeak', label: 'espeak-ng (offline, found on this machine)', source: 'detected',
    maxConnections: Math.max(1, availableParallelism()),
  }];
}

export const ttsFeature: FeatureDefinition = {
  name: 'tts',
  create(host) {
    // Parsed once per config object: a bad section fails at start, naming the field.
    let raw = host.config().tts;
    let parsed = readTtsConfig(raw);
    const config = (): TtsConfig => {
      const now = host.config().tts;
      if (now !== raw) { parsed = readTtsConfig(now); raw = now; }
      return parsed;
    };
    host.registry.registerType('espeak', espeakFactory);
    host.registry.registerType('edge-tts', edgeTtsFactory);
    const voices = new VoiceDirectory({ registry: host.registry, catalog: host.catalog });
    host.services.tts = { config, voices };
    host.admin.implement('ttsVoices', ({ query }) => {
      refuseUnknown(query, ['model'], 'parameter', 'GET /tts/voices');
      return voices.byProvider(query.model || undefined);
    });
    host.http.on('GET', VOICES_PATH, async (req, res, url) => {
      host.assertClient(req);
      const model = url.searchParams.get('model') || undefined;
      sendJson(res, 200, { object: 'list', data: await voices.list(model) });
    });
    return {
      name: 'tts',
      stages: [
        // the format first: sentence mode and the cache key need the one the answer will have
        { slot: 'speech', stage: createSpeechFormatStage({ formatsOf: (target, voice) => host.registry.get(target.provider)?.speechFormats?.(voice) }) },
        { slot: 'speech', stage: createSentenceStage({ config: () => config().sentenceMode, inner: () => host.handlerFrom('refuse') }) },
        // past the cache and the coalescer: a sentence calling upstream itself, which is what its reply is billed for
        { slot: 'batch', stage: markSentenceCalls(host.deps.clock) },
      ],
      wrapCall: gateSentenceCalls,
      detectProviders: () => detectEspeak(),
    };
  },
};
