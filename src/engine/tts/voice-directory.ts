// The voices of every speech provider, for `GET /v1/audio/voices` and the admin panel. A model
// name narrows the list to the provider it resolves to. A provider that cannot list its voices
// (espeak-ng missing) is reported with the reason instead of failing the whole list.
import type { SpeechVoice, TtsProviderVoices, TtsVoicesView } from '../../shared/tts.ts';
import type { ModelCatalog } from '../providers/model-catalog.ts';
import type { ProviderAdapter } from '../providers/provider.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import { SPEECH_FORMATS } from './speech-request.ts';

export interface VoiceDirectoryOptions {
  registry: ProviderRegistry;
  catalog: ModelCatalog;
}

export class VoiceDirectory {
  #registry: ProviderRegistry;
  #catalog: ModelCatalog;

  constructor(opts: VoiceDirectoryOptions) {
    if (!opts?.registry || !opts.catalog) throw new TypeError('VoiceDirectory: registry and catalog are required');
    this.#registry = opts.registry;
    this.#catalog = opts.catalog;
  }

  /** Speech providers, or the one `model` resolves to (throws UnknownModelError when none serves it). */
  #providers(model?: string): ProviderAdapter[] {
    if (model) {
      const target = this.#catalog.resolve(model, 'speech');
      const adapter = this.#registry.get(target.provider);
      return adapter ? [adapter] : [];
    }
    return this.#registry.all().filter((a) => a.endpoints.has('speech'));
  }

  async byProvider(model?: string): Promise<TtsVoicesView> {
    const providers = await Promise.all(this.#providers(model).map(async (a): Promise<TtsProviderVoices> => {
      const base = {
        provider: a.id, label: a.label, type: a.type, models: this.#catalog.modelsOf(a.id),
        formats: [...(a.speechFormats?.('') ?? SPEECH_FORMATS)],
      };
      if (!a.listVoices) return { ...base, voices: [] };
      try {
        const voices = await a.listVoices();
        return { ...base, voices: voices.map(({ id, name, language, gender }) => ({ id, name, language, ...(gender ? { gender } : {}) })) };
      } catch (err) {
        return { ...base, voices: [], error: String((err as Error)?.message ?? err) };
      }
    }));
    return { providers };
  }

  async list(model?: string): Promise<SpeechVoice[]> {
    const view = await this.byProvider(model);
    return view.providers.flatMap((p) => p.voices.map((v) => ({ object: 'voice' as const, ...v, provider: p.provider, models: p.models })));
  }
}
