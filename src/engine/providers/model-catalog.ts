// Which provider serves which model. Explicit `provider/model` names win; then providers that list
// the model; then an "open" provider (an OpenAI-compatible server configured without a model list,
// which takes any name and answers 404 itself if it has no such model).
import type { ModelObject } from '../../shared/openai.ts';
import type { Endpoint, Target } from '../../shared/targets.ts';
import type { Clock } from '../clock.ts';
import { UnknownModelError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { ProviderRegistry } from './registry.ts';
import { modelsHint, type Said } from '../routing/route-sayings.ts';

const SPEECH_NAME = /tts|speech|voice|espeak|audio/i;
const EMBEDDINGS_NAME = /embed/i;

/** Listings do not say which endpoint a model is for; its name usually does (`…-tts`, `…embed…`, else chat). */
const endpointByName = (model: string): Endpoint => (SPEECH_NAME.test(model) ? 'speech' : EMBEDDINGS_NAME.test(model) ? 'embeddings' : 'chat');

interface Listing { models: ModelObject[]; at: number; failed: boolean }

export class ModelCatalog {
  #registry: ProviderRegistry;
  #clock: Clock;
  #logger: Logger;
  #listings = new Map<string, Listing>();
  #refreshing: Promise<void> | null = null;

  constructor(registry: ProviderRegistry, clock: Clock, logger: Logger) {
    this.#registry = registry;
    this.#clock = clock;
    this.#logger = logger;
  }

  /** Ask every provider for its models (bounded time); failures leave the provider's last listing. */
  refresh(timeoutMs = 3_000): Promise<void> {
    this.#refreshing ??= (async () => {
      await Promise.all(this.#registry.all().map(async (p) => {
        try {
          const models = await p.listModels(AbortSignal.timeout(timeoutMs));
          this.#listings.set(p.id, { models, at: this.#clock.now(), failed: false });
        } catch (err) {
          const prev = this.#listings.get(p.id);
          this.#listings.set(p.id, { models: prev?.models ?? [], at: this.#clock.now(), failed: true });
          this.#logger.debug('model listing failed', { provider: p.id, error: (err as Error).message });
        }
      }));
    })().finally(() => { this.#refreshing = null; });
    return this.#refreshing;
  }

  #explicit(provider: string): string[] | null {
    const models = this.#registry.config(provider)?.models;
    return models && models.length ? models : null;
  }

  /** Models a provider is known to serve (config list, else its listing). */
  modelsOf(provider: string): string[] {
    return this.#explicit(provider) ?? (this.#listings.get(provider)?.models.map((m) => m.id) ?? []);
  }

  isOpen(provider: string): boolean {
    const cfg = this.#registry.config(provider);
    return cfg?.type === 'openai-compatible' && cfg.source !== 'detected' && !this.#explicit(provider);
  }

  /**
   * The endpoints a listed model is for, as far as can be told: its provider's, narrowed by its name
   * when the provider serves several (listings do not say; `…-tts`, `…embed…` usually do).
   */
  endpointsOf(provider: string, model: string): Endpoint[] {
    const eps = [...(this.#registry.get(provider)?.endpoints ?? [])];
    if (eps.length <= 1) return eps;
    const named = endpointByName(model);
    return eps.includes(named) ? [named] : eps;
  }

  serves(provider: string, model: string): boolean {
    return this.isOpen(provider) || this.modelsOf(provider).includes(model);
  }

  resolve(model: string, endpoint: Endpoint): Target {
    const adapters = this.#registry.all().filter((a) => a.endpoints.has(endpoint));
    const slash = model.indexOf('/');
    if (slash > 0) {
      const provider = model.slice(0, slash);
      if (adapters.some((a) => a.id === provider)) return { provider, model: model.slice(slash + 1) };
    }
    for (const a of adapters) if (this.modelsOf(a.id).includes(model)) return { provider: a.id, model };
    for (const a of adapters) if (this.isOpen(a.id)) return { provider: a.id, model };
    throw new UnknownModelError(model, this.unknownModelHint(endpoint));
  }

  /**
   * What to tell a client whose model nobody serves: a few models that do serve the endpoint, and,
   * when only built-in or local providers are set up, how to reach a real server.
   */
  unknownModelHint(endpoint: Endpoint): string {
    return this.unknownModelHintSaid(endpoint).text;
  }

  /** The same hint as the engine's English and as data, for the panel to word. */
  unknownModelHintSaid(endpoint: Endpoint): Said {
    const adapters = this.#registry.all().filter((a) => a.endpoints.has(endpoint));
    const all = [...new Set(adapters.flatMap((a) => this.modelsOf(a.id)))];
    const fits = all.filter((m) => endpointByName(m) === endpoint);
    const names = fits.length ? fits : all;
    const shown = names.slice(0, 6).join(', ') + (names.length > 6 ? ', …' : '');
    const remote = this.#registry.configs().some((c) => (c.type === 'openai-compatible' || c.type === 'anthropic') && c.source !== 'detected');
    return modelsHint(endpoint, shown, names.length, remote);
  }

  /**
   * The model for a request that names none (older `/tts/synthesize` clients): `preferred` when some
   * provider takes it, else the first model of a provider serving the endpoint whose name says so
   * (e.g. the simulator's `sim-tts`), else that provider's first model.
   */
  defaultModel(endpoint: Endpoint, preferred: string, hint: RegExp): string {
    try {
      this.resolve(preferred, endpoint);
      return preferred;
    } catch { /* nobody serves it: look further */ }
    for (const a of this.#registry.all().filter((x) => x.endpoints.has(endpoint))) {
      const models = this.modelsOf(a.id);
      const pick = models.find((m) => hint.test(m)) ?? models[0];
      if (pick) return `${a.id}/${pick}`;
    }
    return preferred;
  }

  list(): ModelObject[] {
    const out: ModelObject[] = [];
    const seen = new Set<string>();
    for (const a of this.#registry.all()) {
      const listing = this.#listings.get(a.id)?.models ?? [];
      const ids = this.#explicit(a.id) ?? listing.map((m) => m.id);
      for (const id of ids) {
        const name = seen.has(id) ? `${a.id}/${id}` : id;
        seen.add(name);
        const base = listing.find((m) => m.id === id);
        out.push({ created: 0, ...base, id: name, object: 'model', owned_by: base?.owned_by ?? a.id, provider: a.id });
      }
    }
    return out;
  }
}
