// Provider adapters by type and by id. Fails fast: an unknown type or a duplicate id is an error at
// build time, not a surprise at request time. The core never imports a plug-in; the composition
// root registers the factories.
import type { ProviderConfig } from '../../shared/config.ts';
import type { EngineDeps } from '../deps.ts';
import { BadRequestError, SluiceError } from '../errors.ts';
import type { ProviderAdapter, ProviderFactory } from './provider.ts';

export class ProviderRegistry {
  #factories = new Map<string, ProviderFactory>();
  #adapters = new Map<string, ProviderAdapter>();
  #configs = new Map<string, ProviderConfig>();
  #deps: EngineDeps;

  constructor(deps: EngineDeps) {
    this.#deps = deps;
  }

  registerType(type: string, factory: ProviderFactory): void {
    if (this.#factories.has(type)) throw new Error(`Provider type '${type}' is already registered`);
    this.#factories.set(type, factory);
  }

  hasType(type: string): boolean { return this.#factories.has(type); }

  /** Build adapters for these configs, replacing the current set. Old adapters are closed. */
  async replace(configs: readonly ProviderConfig[]): Promise<void> {
    const next = new Map<string, ProviderAdapter>();
    const nextConfigs = new Map<string, ProviderConfig>();
    try {
      for (const cfg of configs) {
        if (cfg.enabled === false) { nextConfigs.set(cfg.id, cfg); continue; }
        if (next.has(cfg.id) || nextConfigs.has(cfg.id)) throw new BadRequestError(`Duplicate provider id '${cfg.id}'`, 'id');
        const factory = this.#factories.get(cfg.type);
        if (!factory) throw new BadRequestError(`Provider '${cfg.id}' has type '${cfg.type}', which this build does not know`, 'type');
        try {
          next.set(cfg.id, factory(cfg, this.#deps));
        } catch (err) {
          // an adapter refuses its own options (failureRate: 5): the caller's mistake, said as a 400
          if (err instanceof SluiceError) throw err;
          throw new BadRequestError(`Provider '${cfg.id}': ${(err as Error)?.message ?? String(err)}`, 'options');
        }
        nextConfigs.set(cfg.id, cfg);
      }
    } catch (err) {
      await Promise.allSettled([...next.values()].map((a) => a.close()));
      throw err;
    }
    const old = [...this.#adapters.values()];
    this.#adapters = next;
    this.#configs = nextConfigs;
    await Promise.allSettled(old.map((a) => a.close()));
  }

  get(id: string): ProviderAdapter | undefined { return this.#adapters.get(id); }
  config(id: string): ProviderConfig | undefined { return this.#configs.get(id); }
  all(): ProviderAdapter[] { return [...this.#adapters.values()]; }
  configs(): ProviderConfig[] { return [...this.#configs.values()]; }

  async close(): Promise<void> {
    await Promise.allSettled(this.all().map((a) => a.close()));
    this.#adapters.clear();
  }
}
