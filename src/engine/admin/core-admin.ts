// Admin implementations of the core routes: health, info, pause, providers, models, requests, settings.
import {
  GENERAL_SETTING_RANGES, type EngineInfo, type GeneralSettingsInput, type ProviderInput, type ProviderView, type RequestDetail, type TestRequestResult,
} from '../../shared/admin/core-routes.ts';
import type { ProviderConfig, SluiceConfig } from '../../shared/config.ts';
import { describeValue } from '../../shared/describe-value.ts';
import { isObj } from '../../shared/is-obj.ts';
import type { ErrorIssue } from '../../shared/openai.ts';
import { parseStatusFilter } from '../../shared/status-filter.ts';
import { CACHE_RESULTS, ENDPOINTS, isEndpoint, type CacheResult } from '../../shared/targets.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../errors.ts';
import { ConfigError, validateProvider } from '../config/validate-config.ts';
import { PROVIDER_KEYS } from '../config/config-keys.ts';
import { unknownKeyIssues } from '../config/unknown-keys.ts';
import type { ModelCatalog } from '../providers/model-catalog.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { RequestLog } from '../store/request-log.ts';
import type { AdminRouter } from './admin-router.ts';
import { maskKey } from './mask-key.ts';
import { refuseUnknown } from './refuse-unknown.ts';
import { generalSettings } from './general-settings.ts';

/** The request log's filters (GET /admin/api/requests); any other is refused. */
const REQUEST_LIST_PARAMS = ['limit', 'before', 'beforeId', 'endpoint', 'model', 'provider', 'status', 'cache', 'text'];

/** A query's whole-number parameter, or undefined when absent; a 400 naming it when it cannot be read. */
function intParam(query: Record<string, string | undefined>, name: string, min: number, max: number): number | undefined {
  const raw = query[name];
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new BadRequestError(`'${name}' must be an integer from ${min} to ${max}.`, name);
  return n;
}

/** The provider that is always there: it can be disabled, not deleted. */
const BUILT_IN_PROVIDER = 'simulator';

/** `a`, `a and b`, `a, b and c`: each once. */
function inWords(items: readonly string[]): string {
  const once = [...new Set(items)];
  return once.length > 1 ? `${once.slice(0, -1).join(', ')} and ${once.at(-1)}` : once[0] ?? '';
}

export interface CoreAdminDeps {
  info(): EngineInfo;
  setPaused(paused: boolean): void;
  config(): SluiceConfig;
  registry: ProviderRegistry;
  catalog: ModelCatalog;
  requestLog: RequestLog;
  /** Persist and apply a new provider list (validated by the caller here). */
  saveProviders(next: ProviderConfig[]): Promise<void>;
  /** Save the settings sent (null: forget the saved value, the config file's applies) and apply them. */
  saveSettings(changes: GeneralSettingsInput): void;
  /** Where routing names the provider `id`, each with its path and what names it (`alias 'main'`): its deletion is refused while it does. */
  providerUses?(id: string): ErrorIssue[];
  /** Send the panel's test request through the proxy (POST /admin/api/requests/test). */
  sendTest(model: unknown): Promise<TestRequestResult>;
}

export function providerView(p: ProviderConfig, registry: ProviderRegistry, catalog: ModelCatalog): ProviderView {
  const adapter = registry.get(p.id);
  return {
    id: p.id, type: p.type, label: p.label ?? adapter?.label ?? p.id, baseUrl: p.baseUrl ?? null, apiKey: maskKey(p.apiKey),
    source: p.source ?? 'config', enabled: p.enabled !== false,
    endpoints: adapter ? [...adapter.endpoints] : (p.endpoints ?? []),
    models: catalog.modelsOf(p.id), configuredModels: p.models ?? [], open: catalog.isOpen(p.id), options: p.options,
  };
}

function checkSettings(s: Record<string, unknown>): void {
  const bool = ['logBodies', 'cacheEnabled', 'serveStale'];
  const ints: Record<string, { min: number; max: number }> = GENERAL_SETTING_RANGES;
  for (const [k, v] of Object.entries(s)) {
    if (v === null && (bool.includes(k) || k in ints || k === 'cacheMode')) continue; // forget the saved value
    if (bool.includes(k)) { if (typeof v !== 'boolean') throw new BadRequestError(`${k}: expected true or false`, k); }
    else if (k in ints) {
      const { min: lo, max: hi } = ints[k];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) throw new BadRequestError(`${k}: expected an integer from ${lo} to ${hi}`, k);
    } else if (k === 'cacheMode') { if (v !== 'all' && v !== 'deterministic') throw new BadRequestError(`cacheMode: expected 'all' or 'deterministic'`, k); }
    else throw new BadRequestError(`${k}: unknown setting`, k);
  }
}

export function implementCoreAdmin(router: AdminRouter, d: CoreAdminDeps): void {
  router.implement('health', () => ({ ok: true as const, status: d.info().paused ? 'paused' as const : 'running' as const }));
  router.implement('info', () => d.info());
  router.implement('requestTest', ({ body }) => {
    if (isObj(body)) refuseUnknown(body, ['model'], 'key', 'POST /admin/api/requests/test');
    return d.sendTest(body?.model);
  });
  router.implement('pause', ({ body }) => {
    if (typeof body?.paused !== 'boolean') throw new BadRequestError('paused: expected true or false', 'paused');
    refuseUnknown(body, ['paused'], 'key', 'POST /admin/api/engine/pause');
    d.setPaused(body.paused);
    return { paused: body.paused };
  });
  router.implement('providersList', () => d.registry.configs().map((p) => providerView(p, d.registry, d.catalog)));
  router.implement('providerSave', async ({ params, body }) => {
    if (!body || typeof body !== 'object') throw new BadRequestError('Expected a provider object.');
    const current = d.config().providers;
    const existing = current.find((p) => p.id === params.id);
    const input = body as ProviderInput;
    // the path names the provider: a different id in the body would be dropped without a word
    if (input.id !== undefined && input.id !== params.id) {
      throw new BadRequestError(`id: the body names '${describeValue(input.id)}' but the path names '${params.id}'; leave id out or make them the same (a provider is renamed by adding the new one and deleting the old).`, 'id');
    }
    const next: ProviderConfig = {
      ...(existing ?? {}), ...input, id: params.id, source: existing?.source ?? 'admin',
      apiKey: input.apiKey === undefined ? existing?.apiKey : input.apiKey || undefined,
    } as ProviderConfig;
    const issues: string[] = [];
    validateProvider(next, 'provider', issues);
    unknownKeyIssues(input, PROVIDER_KEYS, 'provider', issues);
    if (issues.length) throw new ConfigError(issues);
    await d.saveProviders(existing ? current.map((p) => (p.id === params.id ? next : p)) : [...current, next]);
    return providerView(next, d.registry, d.catalog);
  });
  router.implement('providerDelete', async ({ params }) => {
    const current = d.config().providers;
    if (!current.some((p) => p.id === params.id)) throw new NotFoundError(`No provider '${params.id}'.`);
    // always there (the README's promise, and the aliases' last resort): it is switched off, not removed
    if (params.id === BUILT_IN_PROVIDER) {
      throw new BadRequestError(`The simulator is built in and always there, so it cannot be deleted; to stop using it, disable it: PUT /admin/api/providers/${BUILT_IN_PROVIDER} {"enabled": false}.`, null, 'SLUICE_PROVIDER_BUILT_IN');
    }
    // routing would be left naming a provider that is not there: say what still does, and delete nothing
    const uses = d.providerUses?.(params.id) ?? [];
    if (uses.length) {
      const err = new ConflictError(
        `Provider '${params.id}' is still named by routing: ${inWords(uses.map((u) => u.message))}. Point them at another provider (the Routing page, or PUT /admin/api/routing), then delete it.`,
        null, 'SLUICE_PROVIDER_IN_USE',
      );
      err.problems = uses;
      throw err;
    }
    await d.saveProviders(current.filter((p) => p.id !== params.id));
    return { deleted: true };
  });
  router.implement('modelsList', () => d.catalog.list().map((m) => {
    const provider = String(m.provider ?? m.owned_by);
    return { id: m.id, provider, owned_by: m.owned_by, endpoints: d.catalog.endpointsOf(provider, m.id) };
  }));
  router.implement('requestsList', ({ query }) => {
    refuseUnknown(query, REQUEST_LIST_PARAMS, 'filter', 'the request log');
    if (query.endpoint && !isEndpoint(query.endpoint)) throw new BadRequestError(`'endpoint' must be one of ${ENDPOINTS.join(', ')}.`, 'endpoint');
    const status = query.status ? parseStatusFilter(query.status) : undefined;
    if (status === null) throw new BadRequestError("'status' must be ok, error, a class (2xx, 4xx, 5xx …) or an HTTP status (100–599).", 'status');
    if (query.cache !== undefined && query.cache !== '' && !CACHE_RESULTS.includes(query.cache as CacheResult)) {
      throw new BadRequestError(`'cache' must be one of ${CACHE_RESULTS.join(', ')}.`, 'cache');
    }
    return d.requestLog.list({
      limit: intParam(query, 'limit', 1, 1000), before: intParam(query, 'before', 0, Number.MAX_SAFE_INTEGER), beforeId: query.beforeId || undefined,
      endpoint: query.endpoint || undefined, model: query.model, provider: query.provider, status, cache: query.cache, text: query.text,
    }).map(({ detail: _detail, ...summary }) => summary);
  });
  router.implement('requestValues', ({ query }) => {
    refuseUnknown(query, ['limit'], 'parameter', 'the list of values');
    return d.requestLog.values(intParam(query, 'limit', 1, 1000));
  });
  router.implement('requestDetail', ({ params }) => {
    const row = d.requestLog.get(params.id);
    if (!row) throw new NotFoundError(`No logged request '${params.id}'.`);
    return row as RequestDetail;
  });
  router.implement('settingsGet', () => generalSettings(d.config()));
  router.implement('settingsSave', ({ body }) => {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestError('Expected a settings object.');
    checkSettings(body as Record<string, unknown>);
    // only what was sent is saved: the config file keeps controlling the rest
    d.saveSettings(body as GeneralSettingsInput);
    return generalSettings(d.config());
  });
}
