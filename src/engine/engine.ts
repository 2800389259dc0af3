// The composition root: builds the stores, providers, pipeline and servers from the config and
// the injected deps, and owns their lifecycle. Nothing here is a module-level singleton.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { EngineInfo, GeneralSettings } from '../shared/admin/core-routes.ts';
import { EVENTS_PATH } from '../shared/admin-api.ts';
import { describeValue } from '../shared/describe-value.ts';
import type { ProviderConfig, SluiceConfig } from '../shared/config.ts';
import type { Endpoint } from '../shared/targets.ts';
import type { EngineEvent } from '../shared/events.ts';
import { AdminRouter } from './admin/admin-router.ts';
import { implementCoreAdmin } from './admin/core-admin.ts';
import { applyGeneral, generalSettings, mergeSaved, overriddenKeys } from './admin/general-settings.ts';
import { sendTestRequest } from './admin/test-request.ts';
import { EventBus } from './admin/event-bus.ts';
import { createStaticUi } from './admin/static-ui.ts';
import { createProxyEndpoint } from './api/proxy-endpoint.ts';
import { validateChatRequest, validateEmbeddingsRequest } from './api/validate-request.ts';
import { listenHostProblem } from './config/listen-host.ts';
import { ConfigError } from './config/validate-config.ts';
import type { EngineDeps } from './deps.ts';
import { BadRequestError, MethodNotAllowedError, NotFoundError, ServiceUnavailableError } from './errors.ts';
import { applyCors, grantsCors } from './http/cors.ts';
import { assertAllowedHost, assertBearer, assertLocalOrigin, assertSameOrigin } from './http/guards.ts';
import { utf8HeaderText } from './http/header-text.ts';
import { bracketed, isWildcardHost, networkUrls, ownHostNames } from './http/own-addresses.ts';
import { errorBody, sendError, sendJson, unreadableRequestResponse } from './http/error-response.ts';
import { HttpRouter } from './http/http-router.ts';
import { parseJsonObject, readBody } from './http/read-body.ts';
import { SseWriter } from './http/sse-writer.ts';
import { LoadTestRunner, loadTestMigration } from './loadtest/load-test-runner.ts';
import { redact } from './logger.ts';
import { compose, type Handler, type Stage } from './pipeline/context.ts';
import { createProviderCall, singleTargetHandler, type CallTarget } from './pipeline/provider-call.ts';
import { STAGE_SLOTS, type EngineHost, type Feature, type FeatureDefinition, type Services, type StageSlot } from './feature.ts';
import { FEATURES } from './features.ts';
import { BODY_LOG_LIMIT, createRecordStage, type FinishedRequest } from './pipeline/record-stage.ts';
import { createRouteStage } from './pipeline/route-stage.ts';
import { detectLocalProviders, type LocalCandidate } from './providers/local-detection.ts';
import { ModelCatalog } from './providers/model-catalog.ts';
import { validateSpeechRequest, validateSynthesizeRequest } from './tts/speech-request.ts';
import { readTtsConfig } from './tts/tts-config.ts';
import { openAICompatibleFactory } from './providers/openai-compatible/openai-compatible-adapter.ts';
import { ProviderRegistry } from './providers/registry.ts';
import { usesAsIssues } from './routing/provider-uses.ts';
import { simulatorFactory } from './providers/simulator/simulator-adapter.ts';
import { migrate, openDataDir, type Db } from './store/database.ts';
import { prepareDataDir } from './store/data-dir.ts';
import { DataDirLock } from './store/data-dir-lock.ts';
import { adoptLegacyRequestLog, openRequestLogDb, RequestLog, requestLogMovedMigration } from './store/request-log.ts';
import { KeyFile } from './store/key-file.ts';
import { SettingsRepository, settingsHistoryMigration, settingsMigration } from './store/settings-repository.ts';
import { SLUICE_VERSION } from './version.ts';

export interface EngineOptions {
  config: SluiceConfig;
  deps: EngineDeps;
  /** Which host runs the engine (shown in the panel). */
  host?: 'desktop' | 'headless';
  /** Built control panel (out/renderer); null serves a hint instead. */
  uiDir?: string | null;
  /** Admin token; random per launch when not given. */
  adminToken?: string;
  /** Local servers to look for at start; false to skip detection (tests). */
  detectLocal?: LocalCandidate[] | false;
  /** How long a client may take to send its request headers (slowloris guard; default 20 s). */
  headersTimeoutMs?: number;
  /** How long a client may take to send its whole request, body included (slow-body guard; default 300 s). */
  requestTimeoutMs?: number;
  /** The capabilities to build (default: all of features.ts). */
  features?: readonly FeatureDefinition[];
}

const SETTINGS_PROVIDERS = 'providers';
/** Ids of providers Sluice adds itself at each start (the environment's, those detected) that were deleted: not added again. */
const SETTINGS_PROVIDERS_REMOVED = 'providers.removed';
/** Where the providers come from that Sluice adds again at each start, unless deleted. */
const ADDED_AT_START = new Set(['env', 'detected']);
const SETTINGS_GENERAL = 'general';

/**
 * Request headers whose values are secrets: the ones clients use for keys and sessions, and any name
 * with a word that says it carries one (`x-custom-token`, `x-goog-api-key`, `x-auth-user`). A value
 * that looks like a key is redacted under any name too (logger.ts).
 */
const SECRET_HEADER = /^(?:authorization|proxy-authorization|cookie)$|(?:^|[-_])(?:token|secret|key|apikey|auth|password|passwd|session|signature|credentials?)(?:$|[-_])/;

/** The request headers kept in the log: everything but secrets' values (kept as '[redacted]'), bounded in size. */
function loggedHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  let n = 0;
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || ++n > 40) continue;
    const text = String(v);
    out[k] = SECRET_HEADER.test(k) ? '[redacted]' : (redact(utf8HeaderText(text) ?? text) as string).slice(0, 512);
  }
  return out;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export class Engine {
  readonly deps: EngineDeps;
  readonly events = new EventBus();
  readonly adminToken: string;
  readonly registry: ProviderRegistry;
  readonly catalog: ModelCatalog;
  readonly db: Db;
  readonly requestLog: RequestLog;
  readonly settings: SettingsRepository;
  readonly admin = new AdminRouter();
  readonly loadTests: LoadTestRunner;
  readonly services: Partial<Services> = {};
  readonly features: Feature[] = [];
  #finishedListeners: Array<(done: FinishedRequest) => void> = [];
  #byslot = new Map<StageSlot, Handler>();
  #config: SluiceConfig;
  #opts: EngineOptions;
  #server: Server | null = null;
  #sockets = new Set<Socket>();
  #handler: Handler;
  #router = new HttpRouter();
  #startedAt = 0;
  #paused = false;
  #inFlight = 0;
  #idle: Array<() => void> = [];
  /** Requests in flight, by the function that cuts one off with server_shutting_down once stop()'s grace period is over. */
  #running = new Set<() => void>();
  #url = '';
  #hosts: ReadonlySet<string> = new Set();
  #hostsFor: SluiceConfig['server'] | null = null;
  #keyFile: KeyFile;
  /** requests.db: the request log, apart from sluice.db so its writer thread never waits for sluice.db's lock. */
  #logDb: Db;
  #storageFailing = false;
  readonly #lock: DataDirLock;
  /** The general settings as the config file (and environment and flags) gave them, before any saved one. */
  #fileGeneral: GeneralSettings;

  constructor(opts: EngineOptions) {
    this.#opts = opts;
    this.deps = opts.deps;
    this.#config = structuredClone(opts.config);
    this.#fileGeneral = generalSettings(this.#config);
    this.adminToken = opts.adminToken ?? randomBytes(24).toString('base64url');
    prepareDataDir(opts.deps.dataDir);
    // before anything in the data dir is opened: a second Sluice must not migrate, move aside or write what the first one uses
    this.#lock = DataDirLock.acquire({ dir: opts.deps.dataDir, holder: { pid: process.pid, host: opts.host ?? 'headless', startedAt: opts.deps.clock.now() } });
    try {
      this.db = openDataDir(opts.deps.dataDir);
      this.#keyFile = new KeyFile({ dir: opts.deps.dataDir });
      const defs = opts.features ?? FEATURES;
      this.#logDb = openRequestLogDb(opts.deps.dataDir, opts.deps.logger, opts.deps.clock.now());
      adoptLegacyRequestLog(this.#logDb, this.db);
      migrate(this.db, [settingsMigration, settingsHistoryMigration, loadTestMigration, requestLogMovedMigration, ...defs.flatMap((d) => d.migrations ?? [])]);
      this.settings = new SettingsRepository(this.db);
      this.#applySavedSettings();
      this.requestLog = new RequestLog({
        db: this.#logDb, clock: opts.deps.clock, logger: opts.deps.logger, maxRows: this.#config.log.maxRows,
        onWriteError: (err) => this.#storageFailure(err), onWriteRecovered: () => this.#storageFailure(null),
      });
      this.registry = new ProviderRegistry(opts.deps);
      this.registry.registerType('openai-compatible', openAICompatibleFactory);
      this.registry.registerType('simulator', simulatorFactory);
      this.catalog = new ModelCatalog(this.registry, opts.deps.clock, opts.deps.logger);
      this.loadTests = new LoadTestRunner({
        db: this.db, clock: opts.deps.clock, newId: opts.deps.newId, baseUrl: () => this.#url,
        clientToken: () => this.#config.server.clientToken, emit: (e) => this.emit(e),
      });
      this.#buildRoutes();
      const host = this.#host();
      for (const def of defs) this.features.push(def.create(host));
      this.#handler = this.#buildPipeline();
    } catch (err) {
      this.#lock.release();
      throw err;
    }
  }

  #host(): EngineHost {
    return {
      deps: this.deps, config: () => this.#config, db: this.db, events: this.events, admin: this.admin, http: this.#router,
      registry: this.registry, catalog: this.catalog, settings: this.settings, requestLog: this.requestLog, services: this.services,
      emit: (e) => this.emit(e),
      onFinished: (l) => { this.#finishedListeners.push(l); },
      handler: () => this.#handler,
      handlerFrom: (slot) => {
        const h = this.#byslot.get(slot);
        if (!h) throw new Error(`No pipeline slot '${slot}'`);
        return h;
      },
      inFlight: () => this.#inFlight,
      validateRequest: (endpoint, body) => this.#validateRequest(endpoint, body),
      assertAdmin: (req) => this.#checkAdmin(req),
      assertClient: (req) => this.#assertClient(req),
    };
  }

  get config(): SluiceConfig { return this.#config; }
  get url(): string { return this.#url; }
  get uiUrl(): string { return `${this.#url}/ui/#token=${encodeURIComponent(this.adminToken)}`; }
  get paused(): boolean { return this.#paused; }

  emit(event: EngineEvent): void { this.events.emit(event); }

  #applySavedSettings(): void {
    const stored = this.settings.get<ProviderConfig[]>(SETTINGS_PROVIDERS);
    const fileKeys = this.deps.secrets.encrypted ? {} : this.#keyFile.read();
    const saved = stored?.map((p) => (p.apiKey ? { ...p, apiKey: this.#openSecret(p.apiKey) } : fileKeys[p.id] ? { ...p, apiKey: fileKeys[p.id] } : p));
    if (saved && !this.deps.secrets.encrypted && stored!.some((p) => p.apiKey)) {
      // Keys saved in sluice.db by an older build: move them to keys.json and scrub them from the settings history.
      this.#persistProviders(saved);
      this.settings.scrubHistory(SETTINGS_PROVIDERS, (v) => (Array.isArray(v) ? v.map(({ apiKey: _k, ...p }) => p) : v));
    }
    if (saved) {
      const fromEnv = this.#config.providers.filter((p) => p.source === 'env' && !saved.some((s) => s.id === p.id));
      this.#config.providers = [...saved, ...fromEnv];
    }
    this.#config.providers = this.#config.providers.filter((p) => !this.#wasRemoved(p));
    const general = this.settings.get<Partial<GeneralSettings>>(SETTINGS_GENERAL);
    if (!general) return;
    const overridden = overriddenKeys(this.#fileGeneral, general);
    if (overridden.length) {
      // else the file's value would seem ignored for no reason
      this.deps.logger.info(`settings saved from the panel (PUT /admin/api/settings) win over the config file: ${overridden.join(', ')}; send a key as null to give it back to the file`);
    }
    applyGeneral(this.#config, general);
  }

  #buildPipeline(): Handler {
    const clock = this.deps.clock;
    const bySlot = new Map<StageSlot, Stage[]>(STAGE_SLOTS.map((slot) => [slot, []]));
    for (const f of this.features) for (const { slot, stage } of f.stages ?? []) bySlot.get(slot)!.push(stage);
    if (bySlot.get('route')!.length === 0) {
      bySlot.get('route')!.push(createRouteStage((model, endpoint) => [this.catalog.resolve(model, endpoint)]));
    }
    let call: CallTarget = createProviderCall(this.registry);
    for (const f of this.features) if (f.wrapCall) call = f.wrapCall(call);
    const terminals = this.features.filter((f) => f.terminal);
    if (terminals.length > 1) throw new Error(`Features ${terminals.map((f) => f.name).join(', ')} both replace the terminal handler`);
    let inner: Handler = terminals[0]?.terminal ? terminals[0].terminal(call) : singleTargetHandler(call);
    for (const slot of [...STAGE_SLOTS].reverse()) {
      inner = compose(bySlot.get(slot)!, inner);
      this.#byslot.set(slot, inner);
    }
    return compose([createRecordStage({
      clock, onFinished: (done) => this.#onFinished(done), costOf: (ctx, usage) => this.services.pricing?.costOf(ctx, usage) ?? 0,
      logBodies: () => this.#config.log.bodies,
    })], inner);
  }

  #onFinished({ ctx, summary, error, responseBody, upstreamRequestId }: FinishedRequest): void {
    const detail = {
      trace: ctx.trace,
      timings: { ...ctx.timings },
      cacheKey: ctx.cacheKey,
      ...(upstreamRequestId ? { upstreamRequestId } : {}),
      requestHeaders: loggedHeaders(ctx.headers),
      ...(this.#config.log.bodies ? { requestBody: JSON.stringify(ctx.body).slice(0, BODY_LOG_LIMIT) } : {}),
      ...(responseBody !== undefined ? { responseBody } : error && this.#config.log.bodies ? { responseBody: JSON.stringify(errorBody(error)) } : {}),
    };
    this.requestLog.append({ ...summary, detail });
    this.events.emit({ type: 'request', ts: summary.ts, request: summary });
    for (const l of this.#finishedListeners) {
      try {
        l({ ctx, summary, error });
      } catch (err) {
        this.deps.logger.warn('a request listener failed', { error: String(err) });
      }
    }
  }

  #proxy(parse: (raw: Record<string, unknown>) => Record<string, unknown>, endpoint: 'chat' | 'embeddings' | 'speech') {
    const handle = createProxyEndpoint(endpoint, parse, {
      clock: this.deps.clock, newId: this.deps.newId, handler: () => this.#handler,
      bodyLimitBytes: () => this.#config.server.bodyLimitBytes,
      logger: this.deps.logger,
      running: this.#running,
      // refused like a bad body: with an x-request-id, and in the request log
      gate: (req) => {
        assertLocalOrigin(req.headers, this.#allowedHosts());
        this.#assertClient(req);
        if (this.#paused) throw new ServiceUnavailableError('Sluice is paused; resume it from the control panel (or the desktop app\'s tray).', 'SLUICE_PAUSED', 5);
      },
      onRejected: ({ summary, error, headers }) => {
        this.requestLog.append({
          ...summary,
          detail: {
            // the refusal's sentence as data too (a body's problem), so the request's trace reads in the panel's language
            trace: [{ stage: [401, 403, 503].includes(error.status) ? 'admission' : 'validate', message: error.message, ...(error.say ? { say: error.say } : {}) }],
            timings: { totalMs: summary.latencyMs }, cacheKey: null, requestHeaders: loggedHeaders(headers),
          },
        });
        this.events.emit({ type: 'request', ts: summary.ts, request: summary });
      },
    });
    return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
      this.#inFlight++;
      try {
        await handle(req, res, url.pathname);
      } finally {
        if (--this.#inFlight === 0) for (const f of this.#idle.splice(0)) f();
      }
    };
  }

  #buildRoutes(): void {
    const r = this.#router;
    const speechLimits = () => ({ maxInputChars: readTtsConfig(this.#config.tts).maxInputChars });
    const chat = this.#proxy((b) => this.#validateRequest('chat', b), 'chat');
    r.listServedUnder('/v1/');
    r.on('POST', '/v1/chat/completions', chat).on('POST', '/llm/chat/completions', chat).on('POST', '/chat/completions', chat);
    const embeddings = this.#proxy((b) => this.#validateRequest('embeddings', b), 'embeddings');
    r.on('POST', '/v1/embeddings', embeddings).on('POST', '/embeddings', embeddings);
    r.on('POST', '/v1/audio/speech', this.#proxy((b) => this.#validateRequest('speech', b), 'speech'));
    // older clients send { text, voice, format } and no model: the first speech model there is answers
    const synthesizeLimits = () => ({ ...speechLimits(), defaultModel: this.catalog.defaultModel('speech', 'tts-1', /tts|speech|voice/i) });
    r.on('POST', '/tts/synthesize', this.#proxy((b) => validateSynthesizeRequest(b, synthesizeLimits()) as unknown as Record<string, unknown>, 'speech'));
    // the model list is a proxy endpoint like the others: behind the client token when one is set
    const models = async (req: IncomingMessage, res: ServerResponse) => {
      this.#assertClient(req);
      await this.catalog.refresh();
      const listed = this.catalog.list();
      sendJson(res, 200, { object: 'list', data: [...listed.map(({ provider: _p, ...m }) => m), ...this.#aliasModels(listed)] });
    };
    r.on('GET', '/v1/models', models).on('GET', '/models', models);
    r.mount('/v1/models', async (req, res, url) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new MethodNotAllowedError(req.method ?? '', url.pathname, ['GET', 'HEAD']);
      this.#assertClient(req);
      let id: string;
      try {
        id = decodeURIComponent(url.pathname.slice('/v1/models/'.length));
      } catch {
        throw new BadRequestError('Malformed model id in the path (invalid percent-encoding).');
      }
      // the names a request may use: as listed, or `provider/model`
      const slash = id.indexOf('/');
      const all = this.catalog.list();
      const m = all.find((x) => x.id === id)
        ?? (slash > 0 ? all.find((x) => x.provider === id.slice(0, slash) && (x.id === id.slice(slash + 1) || x.id === id)) : undefined);
      const alias = m ? undefined : this.#aliasModels(all).find((a) => a.id === id);
      if (alias) { sendJson(res, 200, alias); return; }
      if (!m) throw new NotFoundError(`The model '${id}' does not exist.`, 'SLUICE_MODEL_NOT_FOUND');
      // under the name it was asked by (`simulator/sim-chat` too), as a client comparing ids expects
      const { provider: _p, ...model } = m;
      sendJson(res, 200, { ...model, id });
    }, { method: 'GET', path: '/v1/models/{id}' });
    r.on('GET', '/', (_req, res) => { res.writeHead(302, { location: '/ui/' }); res.end(); });
    // browsers ask the root for an icon whatever the page says
    r.on('GET', '/favicon.ico', (_req, res) => { res.writeHead(302, { location: '/ui/favicon.png' }); res.end(); });
    r.on('GET', '/healthz', (_req, res) => sendJson(res, 200, { ok: true }));
    r.mount('/ui', createStaticUi(this.#opts.uiDir ?? null));
    r.on('GET', EVENTS_PATH, (req, res) => this.#eventStream(req, res));
    r.mount('/admin/api', (req, res, url) => this.#adminRequest(req, res, url));

    this.#implementLoadTests();
    implementCoreAdmin(this.admin, {
      info: () => this.info(),
      setPaused: (p) => this.setPaused(p),
      config: () => this.#config,
      registry: this.registry,
      catalog: this.catalog,
      requestLog: this.requestLog,
      saveProviders: (next) => this.saveProviders(next),
      providerUses: (id) => usesAsIssues(this.services.routing?.usesOf(id) ?? []),
      sendTest: (model) => sendTestRequest({ baseUrl: this.#url, clientToken: this.#config.server.clientToken, model, now: () => this.deps.clock.monotonic() }),
      saveSettings: (changes) => {
        const saved = mergeSaved(this.settings.get<Partial<GeneralSettings>>(SETTINGS_GENERAL) ?? {}, changes);
        if (Object.keys(changes).length) this.settings.set(SETTINGS_GENERAL, saved, this.deps.clock.now());
        // the saved keys over the file's values: a key given back to the file takes the file's value again
        applyGeneral(this.#config, { ...this.#fileGeneral, ...saved });
        this.requestLog.setMaxRows(this.#config.log.maxRows);
        this.emit({ type: 'config', ts: this.deps.clock.now(), section: 'settings' });
      },
    });
  }

  /** The OpenAI-shaped proxy endpoints' check of a body, as the pipeline gets it (routing's explain asks it too). */
  #validateRequest(endpoint: Endpoint, body: Record<string, unknown>): Record<string, unknown> {
    switch (endpoint) {
      case 'chat': return validateChatRequest(body) as Record<string, unknown>;
      case 'embeddings': return validateEmbeddingsRequest(body) as Record<string, unknown>;
      case 'speech': return validateSpeechRequest(body, { maxInputChars: readTtsConfig(this.#config.tts).maxInputChars }) as unknown as Record<string, unknown>;
    }
  }

  /** With a client token set (listening beyond loopback), the proxy endpoints and the model list require it. */
  #assertClient(req: IncomingMessage): void {
    const clientToken = this.#config.server.clientToken;
    if (clientToken) assertBearer(req.headers, clientToken);
  }

  /** Routing's aliases (fast, smart, auto, the user's) as models, so an app's model picker offers them too; none that `models` already lists. */
  #aliasModels(models: readonly { id: string }[]): Array<{ id: string; object: 'model'; created: number; owned_by: string }> {
    const routing = this.services.routing;
    if (!routing) return [];
    const listed = new Set(models.map((m) => m.id));
    const names = [...routing.effective.aliases.map((a) => a.name), ...(Object.keys(routing.effective.classTargets).length ? ['auto'] : [])];
    return [...new Set(names)].filter((n) => !listed.has(n)).map((id) => ({ id, object: 'model' as const, created: 0, owned_by: 'sluice-alias' }));
  }

  #implementLoadTests(): void {
    const lt = this.loadTests;
    this.admin.implement('loadTestStart', ({ body }) => lt.start(body));
    this.admin.implement('loadTestList', () => lt.list());
    this.admin.implement('loadTestGet', ({ params }) => lt.get(params.id));
    this.admin.implement('loadTestCancel', ({ params }) => ({ cancelled: lt.cancel(params.id) }));
    this.admin.implement('loadTestDelete', ({ params }) => {
      lt.delete(params.id);
      return { deleted: true as const };
    });
  }

  /** Replace the provider list: validated by the registry, persisted, applied without restart. */
  async saveProviders(next: ProviderConfig[]): Promise<void> {
    await this.registry.replace(next);
    this.#rememberRemoved(this.#config.providers, next);
    this.#config.providers = next;
    this.#persistProviders(next);
    await this.catalog.refresh();
    this.emit({ type: 'config', ts: this.deps.clock.now(), section: 'providers' });
  }

  /** True for a provider of the environment's or one detected that was deleted: the deletion holds at the next start too. */
  #wasRemoved(p: ProviderConfig): boolean {
    if (!ADDED_AT_START.has(p.source ?? '') || !(this.settings.get<string[]>(SETTINGS_PROVIDERS_REMOVED) ?? []).includes(p.id)) return false;
    this.deps.logger.info(`provider '${p.id}' (${p.source === 'env' ? 'from the environment' : 'detected'}) was deleted from the admin API and is not added again; add it back with PUT /admin/api/providers/${p.id}`);
    return true;
  }

  /**
   * A provider Sluice would add again at the next start (the environment's, one detected) is remembered
   * as deleted, or it would come back; one added again by hand is forgotten from that list.
   */
  #rememberRemoved(previous: readonly ProviderConfig[], next: readonly ProviderConfig[]): void {
    const removed = new Set(this.settings.get<string[]>(SETTINGS_PROVIDERS_REMOVED) ?? []);
    const size = removed.size;
    const readded = next.filter((p) => removed.delete(p.id)).length;
    for (const p of previous) if (ADDED_AT_START.has(p.source ?? '') && !next.some((q) => q.id === p.id)) removed.add(p.id);
    if (removed.size !== size || readded) this.settings.set(SETTINGS_PROVIDERS_REMOVED, [...removed], this.deps.clock.now());
  }

  /**
   * Keys sealed by a real keychain (desktop) stay with their provider in sluice.db; without one
   * (headless) they go to keys.json (0600) and sluice.db holds no key at all.
   */
  #persistProviders(next: ProviderConfig[]): void {
    const mine = next.filter((p) => p.source !== 'env' && p.source !== 'detected');
    if (this.deps.secrets.encrypted) {
      this.settings.set(SETTINGS_PROVIDERS, mine.map((p) => (p.apiKey ? { ...p, apiKey: this.deps.secrets.seal(p.apiKey) } : p)), this.deps.clock.now());
      return;
    }
    this.#keyFile.write(Object.fromEntries(mine.filter((p) => p.apiKey).map((p) => [p.id, p.apiKey!])));
    this.settings.set(SETTINGS_PROVIDERS, mine.map(({ apiKey: _k, ...p }) => p), this.deps.clock.now());
  }

  /** requests.db cannot be written (disk full, read-only), or works again (err null): told once per change, as a `storage` event the alerts feature turns into an alert. */
  #storageFailure(err: unknown): void {
    if ((err !== null) === this.#storageFailing) return;
    this.#storageFailing = err !== null;
    const code = err === null ? null : String((err as { code?: unknown }).code ?? '') || String((err as Error).message ?? '') || 'unknown';
    this.emit({ type: 'storage', ts: this.deps.clock.now(), file: 'requests.db', state: err === null ? 'recovered' : 'failing', error: code });
  }

  #openSecret(sealed: string): string | undefined {
    try {
      return this.deps.secrets.open(sealed);
    } catch {
      this.deps.logger.warn('a stored provider key could not be unsealed; enter it again in Settings');
      return undefined;
    }
  }

  setPaused(paused: boolean): void {
    this.#paused = paused;
    this.emit({ type: 'engine', ts: this.deps.clock.now(), state: paused ? 'paused' : 'running' });
  }

  info(): EngineInfo {
    const addr = this.#server?.address() as AddressInfo | null;
    return {
      name: 'sluice', version: SLUICE_VERSION, startedAt: this.#startedAt, uptimeMs: this.deps.clock.now() - this.#startedAt,
      listen: { host: this.#config.server.host, port: addr?.port ?? this.#config.server.port, url: this.#url },
      uiUrl: `${this.#url}/ui/`, dataDir: this.deps.dataDir, host: this.#opts.host ?? 'headless', paused: this.#paused,
      node: process.version,
    };
  }

  #checkAdmin(req: IncomingMessage): void {
    assertSameOrigin(req.headers, this.#allowedHosts());
    assertBearer(req.headers, this.adminToken);
  }

  async #adminRequest(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    this.#checkAdmin(req);
    const method = req.method ?? 'GET';
    const match = this.admin.match(method, url.pathname);
    if (match.kind === 'none') throw new NotFoundError(`No admin route ${method} ${url.pathname}.`, 'SLUICE_UNKNOWN_PATH');
    if (match.kind === 'method') throw new MethodNotAllowedError(method, url.pathname, match.allowed);
    let body: unknown;
    if (method === 'POST' || method === 'PUT') {
      const raw = await readBody(req, this.#config.server.bodyLimitBytes);
      body = raw.length ? parseJsonObject(raw) : {};
    }
    const query = Object.fromEntries(url.searchParams.entries());
    const result = await match.impl({ params: match.params, query, body });
    sendJson(res, 200, result ?? { ok: true }, { 'cache-control': 'no-store' });
  }

  #eventStream(req: IncomingMessage, res: ServerResponse): void {
    this.#checkAdmin(req);
    if (req.method === 'HEAD') {
      // the stream's headers, and an end: a HEAD must not hang on a stream that never finishes
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform' });
      res.end();
      return;
    }
    const writer = new SseWriter(res, { clock: this.deps.clock });
    writer.send('hello', { type: 'hello', ts: this.deps.clock.now(), version: SLUICE_VERSION });
    const off = this.events.subscribe((e) => writer.send(e.type, e));
    res.on('close', off);
  }

  /**
   * The Host names the guard takes besides loopback ones: server.allowedHosts, the listen address, or,
   * listening on every interface, this machine's own addresses and name. Worked out once per server
   * section (the guard asks on every request).
   */
  #allowedHosts(): ReadonlySet<string> {
    const server = this.#config.server;
    if (this.#hostsFor === server) return this.#hosts;
    const s = new Set(server.allowedHosts.map((h) => h.toLowerCase()));
    const host = server.host.toLowerCase();
    if (isWildcardHost(host)) for (const name of ownHostNames()) s.add(name);
    else s.add(bracketed(host));
    this.#hostsFor = server;
    this.#hosts = s;
    return s;
  }

  /** Listening on every interface: the URLs other machines reach Sluice at (its IPv4 addresses); else none. */
  get networkUrls(): string[] {
    const addr = this.#server?.address() as AddressInfo | null | undefined;
    return addr && isWildcardHost(this.#config.server.host) ? networkUrls(addr.port) : [];
  }

  #dispatch = (req: IncomingMessage, res: ServerResponse): void => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://sluice.local');
    } catch {
      sendError(res, new BadRequestError('Malformed request target.'), { 'x-request-id': this.deps.newId() });
      return;
    }
    Promise.resolve()
      .then(() => {
        assertAllowedHost(req.headers, this.#allowedHosts(), req.httpVersion);
        // a page on this machine may call the OpenAI-compatible API from the browser; never the admin API
        if (grantsCors(url.pathname) && applyCors(req, res, this.#allowedHosts())) return;
        return this.#router.resolve(req.method ?? 'GET', url)(req, res, url);
      })
      .catch((err) => {
        if (!(err instanceof Error && 'status' in err)) this.deps.logger.error('request failed', { path: url.pathname, error: err instanceof Error ? err.stack ?? err.message : describeValue(err) });
        // refusals that never reach an endpoint (404, 405, a foreign Host) carry an id like every other answer
        sendError(res, err, res.hasHeader('x-request-id') ? {} : { 'x-request-id': this.deps.newId() });
      });
  };

  async start(): Promise<string> {
    const h = this.#config.server.host;
    // before the token check: a host that is no address would be refused for a token it does not lack
    const hostProblem = listenHostProblem(h);
    if (hostProblem) throw new ConfigError([`server.host: '${h}' ${hostProblem}`]);
    if (!isLoopback(h) && !this.#config.server.clientToken) {
      throw new Error(`Refusing to listen on ${h} without a client token: set SLUICE_CLIENT_TOKEN (or server.clientToken) so other machines must present it.`);
    }
    this.#startedAt = this.deps.clock.now();
    const providers = [...this.#config.providers];
    if (this.#opts.detectLocal !== false) {
      const detected = [...await detectLocalProviders(this.#opts.detectLocal || undefined)];
      for (const f of this.features) detected.push(...(await f.detectProviders?.()) ?? []);
      for (const p of detected) if (!providers.some((q) => q.id === p.id) && !this.#wasRemoved(p)) providers.push(p);
    }
    await this.registry.replace(providers);
    this.#config.providers = providers;
    await this.catalog.refresh();
    const headersTimeout = this.#opts.headersTimeoutMs ?? 20_000;
    const requestTimeout = Math.max(headersTimeout, this.#opts.requestTimeoutMs ?? 300_000);
    const server = createServer({
      keepAliveTimeout: 65_000, headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(30_000, Math.max(50, headersTimeout / 4)),
      // the Host guard refuses a request without Host itself, in OpenAI's shape with an x-request-id (Node's own 400 is bare)
      requireHostHeader: false,
    }, this.#dispatch);
    server.on('connection', (s) => { this.#sockets.add(s); s.on('close', () => this.#sockets.delete(s)); });
    server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
      if (socket.writable && err.code !== 'ECONNRESET') socket.end(unreadableRequestResponse(err.code, this.deps.newId()));
      else socket.destroy();
    });
    this.#server = server;
    const { host, port } = this.#config.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => { server.off('error', reject); resolve(); });
    });
    const addr = server.address() as AddressInfo;
    const shownHost = host === '0.0.0.0' ? '127.0.0.1' : bracketed(host);
    this.#url = `http://${shownHost}:${addr.port}`;
    this.#lock.announce(this.#url);
    for (const f of this.features) await f.start?.();
    this.emit({ type: 'engine', ts: this.deps.clock.now(), state: 'running' });
    return this.#url;
  }

  /** Resolves once no proxy request is in flight, or after `ms`. */
  async #whenIdle(ms: number): Promise<void> {
    if (this.#inFlight === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      new Promise<void>((resolve) => this.#idle.push(resolve)),
      new Promise<void>((resolve) => { timer = setTimeout(resolve, ms).unref(); }),
    ]);
    clearTimeout(timer);
  }

  /**
   * Stop accepting, let in-flight requests finish (bounded by `graceMs`), end those still running
   * with a server_shutting_down error, then close stores.
   */
  async stop(graceMs = this.#config.server.shutdownGraceMs): Promise<void> {
    this.emit({ type: 'engine', ts: this.deps.clock.now(), state: 'stopping' });
    const server = this.#server;
    this.#server = null;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await this.#whenIdle(graceMs);
      // what is still running is told so (an SSE error event, for a stream) rather than cut without a word
      for (const cut of [...this.#running]) cut();
      await this.#whenIdle(Math.min(graceMs, 1_000));
      for (const s of this.#sockets) s.destroy();
      await closed;
    }
    this.loadTests.stop();
    for (const f of [...this.features].reverse()) {
      try {
        await f.stop?.();
      } catch (err) {
        this.deps.logger.warn(`feature ${f.name} failed to stop cleanly`, { error: String(err) });
      }
    }
    await this.registry.close();
    this.requestLog.close();
    this.#logDb.close();
    this.db.close();
    this.#lock.release();
  }
}
