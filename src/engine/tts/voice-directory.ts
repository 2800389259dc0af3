// The voices of every speech provider, for `GET /v1/audio/voices` and the admin panel. A model
// name narrows the list to the provider it resolves to; an unknown one is a 404 and a chat or
// embeddings model a 400. A provider that cannot list its voices (espeak-ng missing) is reported
// with the reason instead of failing the whole list.
import type { Endpoint } from '../../shared/targets.ts';
import type { SpeechVoice, TtsProviderVoices, TtsVoicesView } from '../../shared/tts.ts';
import { BadRequestError, UnknownModelError } from '../errors.ts';
import type { ModelCatalog } from '../providers/model-catalog.ts';
import type { ProviderAdapter } from '../providers/provider.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import { SPEECH_FORMATS } from './speech-request.ts';

const ENDPOINT_NAMES: Record<Endpoint, string> = { chat: 'chat completions', embeddings: 'embeddings', speech: 'speech' };

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

  /**
   * Speech providers, or the one `model` resolves to. A model nobody serves is a 404, as is one an open
   * provider (which takes any name) does not list when it lists models; a model listed for chat or
   * embeddings is a 400, as `/v1/audio/speech` refuses it, rather than its provider's voices.
   */
  #providers(model?: string): ProviderAdapter[] {
    if (!model) return this.#registry.all().filter((a) => a.endpoints.has('speech'));
    const catalog = this.#catalog;
    const target = catalog.resolve(model, 'speech');
    const listed = catalog.modelsOf(target.provider);
    if (!listed.includes(target.model)) {
      if (catalog.isOpen(target.provider) && listed.length > 0) throw new UnknownModelError(model, catalog.unknownModelHint('speech'));
    } else {
      const endpoints = catalog.endpointsOf(target.provider, target.model);
      if (!endpoints.includes('speech')) {
        throw new BadRequestError(
          `'${model}' is a ${ENDPOINT_NAMES[endpoints[0]] ?? endpoints[0]} model, not a speech model. ${catalog.unknownModelHint('speech')}`,
          'model', 'SLUICE_WRONG_ENDPOINT',
        );
      }
    }
    const adapter = this.#registry.get(target.provider);
    return adapter ? [adapter] : [];
  }

  async byProvider(model?: string): Promise<TtsVoicesView> {
    const providers = await Promise.all(this.#providers(model).map(async (a): Promise<TtsProviderVoices> => {
      const base = {
        // the provider's speech models only: its chat and embeddings models speak no voice
        provider: a.id, label: a.label, type: a.type, models: this.#catalog.modelsOf(a.id).filter((m) => this.#catalog.endpointsOf(a.id, m).includes('speech')),
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
