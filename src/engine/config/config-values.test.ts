// Every key of the config file refuses a value of the wrong type or out of its range at start, with a
// message naming the key. A value the checks let through is one the engine trips over later:
// `server.allowedHosts: "myhost"` started, printed its banner, then answered 500 to every request,
// /healthz included. The table below must list every key config-keys.ts knows, so a new key comes with
// its own wrong values. Each file is checked as the start checks it: loadConfig, then each capability's
// own check of its section, which it runs when the engine is built (a few are tried on a real engine below).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveAlertsConfig } from '../alerts/alerts-config.ts';
import { resolveSchedulingConfig } from '../batching/scheduling-config.ts';
import { readGlobalSemantic } from '../cache/semantic/semantic-service.ts';
import { createEngine, defaultDeps, silentLogger } from '../index.ts';
import { fromConfigSection } from '../routing/routing-defaults.ts';
import { routingIssues } from '../routing/validate-routing.ts';
import { readTtsConfig } from '../tts/tts-config.ts';
import { CONFIG_KEYS, type KeyShape } from './config-keys.ts';
import { loadConfig } from './load-config.ts';

const T = { provider: 'p', model: 'm' } as const;

/** A config file with every key set to a value that is fine. */
const FULL = {
  server: { host: '127.0.0.1', port: 0, bodyLimitBytes: 20971520, allowedHosts: ['myhost'], clientToken: 'tok-123', shutdownGraceMs: 10000 },
  providers: [{
    id: 'p', type: 'openai-compatible', label: 'P', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-x', models: ['m'],
    prices: { m: { input: 1, output: 2 } }, endpoints: ['chat'], enabled: true, maxConnections: 8,
    timeouts: { connectMs: 1000, headersMs: 1000, bodyMs: 1000 }, headers: { 'x-a': 'b' }, options: {}, source: 'config',
  }],
  cache: {
    enabled: true, memoryMaxBytes: 1000, diskMaxBytes: 1000, ttlSeconds: 60, mode: 'all', serveStale: true, staleMaxSeconds: 60,
    perModel: [{ model: 'm*', ttlSeconds: 5, mode: 'deterministic', enabled: true }],
  },
  log: { maxRows: 1000, bodies: false },
  routing: {
    aliases: [{ name: 'a1', targets: [T], strategy: 'weighted', weights: [1], description: 'd' }],
    rules: [
      {
        id: 'r1', name: 'R1', enabled: true,
        when: { model: ['m*'], endpoint: ['chat'], tags: ['t'], minPromptTokens: 1, maxPromptTokens: 100, complexity: ['simple'] },
        action: {
          targets: [T], strategy: 'weighted', weights: [1], timeoutMs: 1000,
          cache: { enabled: true, ttlSeconds: 5, mode: 'all', semantic: { enabled: true, threshold: 0.9, source: 'embeddings', embeddingsModel: 'e' } },
        },
      },
      { id: 'r2', name: 'R2', enabled: true, when: {}, action: { alias: 'a1', strategy: 'fallback' } },
    ],
    budgets: [{ id: 'b1', scope: 'provider', match: 'p', period: 'day', unit: 'usd', limit: 10, threshold: 0.8, onExhausted: 'downgrade', downgradeTo: [T], enabled: true }],
    classTargets: { simple: [T], medium: [T], complex: [T], 'very-complex': [T] },
    retry: { attemptsPerTarget: 1, maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 8000, maxRetryAfterMs: 20000 },
    breaker: { failureThreshold: 5, windowMs: 60000, cooldownMs: 30000 },
    prices: { m: { input: 1, output: 2 } },
  },
  scheduling: {
    batching: { enabled: true, maxBatchSize: 256, maxBatchTokens: 100000, maxWaitMs: 10, maxInFlightPerKey: 4, gatherMs: 2 },
    scheduler: { enabled: true, queueTimeoutMs: 30000, maxQueueDepth: 1000, agingMs: 2000 },
    limiter: { enabled: true, initialLimit: 8, minLimit: 1, maxLimit: 64, backoffRatio: 0.7, latencyTolerance: 3, latencySlackMs: 20, minLatencyWindowMs: 60000 },
    clientLimits: { enabled: true, default: { requestsPerMinute: 10, tokensPerMinute: 1000 }, rules: [{ client: 'c*', requestsPerMinute: 5, tokensPerMinute: 100 }] },
  },
  alerts: {
    enabled: true,
    rules: [{ id: 'r', name: 'n', metric: 'errorRate', comparator: '>', threshold: 0.5, forSeconds: 10, severity: 'warning', enabled: true }],
    notifications: { webhookUrl: 'http://127.0.0.1:9/h', webhookHeaders: { 'x-h': 'v' }, minSeverity: 'warning', notifyResolved: true, desktop: true },
    webhook: { maxAttempts: 5, baseDelayMs: 1000, timeoutMs: 10000 },
    detectors: { errorRate: { warmupSamples: 10, spikeThreshold: 3, spikeSamples: 3, clearSamples: 3, minScale: 0.01 } },
    minRequests: 20, runaway: { windowSeconds: 10, minRepeats: 30, factor: 10 }, retentionDays: 90,
  },
  semantic: { enabled: false, threshold: 0.95, guards: true, falseHitMargin: 0.02, embedder: { kind: 'target', target: T } },
  tts: { maxInputChars: 4096, sentenceMode: { enabled: true, concurrency: 3, maxSentenceChars: 300 } },
};

/** The shorthands and the other forms, which FULL cannot hold beside the long ones. */
const OTHER_FORMS = {
  limits: FULL.scheduling.clientLimits,
  alerts: { webhookUrl: 'http://127.0.0.1:9/h' },
  semantic: { enabled: true, threshold: 0.9, source: 'local', embeddingsModel: 'e', guards: true, falseHitMargin: 0.02, embedder: { kind: 'model', model: 'e' } },
};

const NOT_BOOL = ['yes', 1];
const NOT_COUNT = ['abc', -1, 1.5];

/** Each key (in a file that is otherwise `base`) with values that must stop the start. */
const CASES: Array<{ base: object; wrong: Record<string, unknown[]> }> = [
  {
    base: FULL,
    wrong: {
      'server.host': [5, ''],
      'server.port': ['abc', -1, 65536],
      'server.bodyLimitBytes': ['abc', 0, 1e308],
      'server.allowedHosts': ['myhost', [5], [''], ['two words']],
      'server.clientToken': [5, '', 'with space', 'ünïcode'],
      'server.shutdownGraceMs': ['abc', -1, 1e308],
      'providers[0].id': [5, 'Upper'],
      'providers[0].type': ['nope', 5],
      'providers[0].label': [5, 'x'.repeat(201)],
      'providers[0].baseUrl': ['ftp://x', 'not a url'],
      'providers[0].apiKey': [5],
      'providers[0].models': ['m', [5]],
      "providers[0].prices['m'].input": ['abc', -1, 1e308, 1_000_001],
      "providers[0].prices['m'].output": ['abc', -1, 1e308, 1_000_001],
      'providers[0].endpoints': ['chat', ['fax'], []],
      'providers[0].enabled': NOT_BOOL,
      'providers[0].maxConnections': ['abc', 0, 5000],
      'providers[0].timeouts.connectMs': ['abc', 0, 1e308],
      'providers[0].timeouts.headersMs': ['abc', 0, 1e308],
      'providers[0].timeouts.bodyMs': ['abc', 0, 1e308],
      "providers[0].headers['x-a']": [5, true],
      'providers[0].source': ['elsewhere', 5],
      'cache.enabled': NOT_BOOL,
      'cache.memoryMaxBytes': ['abc', -1, 1e308],
      'cache.diskMaxBytes': ['abc', -1, 1e308],
      'cache.ttlSeconds': ['abc', -1, 1e308],
      'cache.mode': ['some', 5],
      'cache.serveStale': NOT_BOOL,
      'cache.staleMaxSeconds': ['abc', -1, 1e308],
      'cache.perModel[0].model': [5, ''],
      'cache.perModel[0].ttlSeconds': ['abc', -1],
      'cache.perModel[0].mode': ['some'],
      'cache.perModel[0].enabled': NOT_BOOL,
      'log.maxRows': ['abc', 5, 1e308],
      'log.bodies': NOT_BOOL,
      'routing.aliases[0].name': [5, 'bad name'],
      'routing.aliases[0].targets[0].provider': [5, ''],
      'routing.aliases[0].targets[0].model': [5, ''],
      'routing.aliases[0].strategy': ['random', 5],
      'routing.aliases[0].weights': ['abc', [-1]],
      'routing.aliases[0].description': [5, ['d']],
      'routing.rules[0].id': [5, 'bad id'],
      'routing.rules[0].name': [5, ''],
      'routing.rules[0].enabled': NOT_BOOL,
      'routing.rules[0].when.model': ['m*', [5]],
      'routing.rules[0].when.endpoint': ['chat', ['fax']],
      'routing.rules[0].when.tags': ['t', [5]],
      'routing.rules[0].when.minPromptTokens': NOT_COUNT,
      'routing.rules[0].when.maxPromptTokens': NOT_COUNT,
      'routing.rules[0].when.complexity': ['simple', ['trivial']],
      'routing.rules[0].action.targets[0].provider': [5, ''],
      'routing.rules[0].action.targets[0].model': [5, ''],
      'routing.rules[1].action.alias': [5, 'nope'],
      'routing.rules[0].action.strategy': ['random'],
      'routing.rules[0].action.weights': ['abc', [-1]],
      'routing.rules[0].action.timeoutMs': ['abc', 50, 1e308],
      'routing.rules[0].action.cache.enabled': NOT_BOOL,
      'routing.rules[0].action.cache.ttlSeconds': ['abc', -1],
      'routing.rules[0].action.cache.mode': ['some'],
      'routing.rules[0].action.cache.semantic.enabled': NOT_BOOL,
      'routing.rules[0].action.cache.semantic.threshold': ['abc', 0.1, 2],
      'routing.rules[0].action.cache.semantic.source': ['cloud', 5],
      'routing.rules[0].action.cache.semantic.embeddingsModel': [5, ''],
      'routing.budgets[0].id': [5, 'bad id'],
      'routing.budgets[0].scope': ['planet'],
      'routing.budgets[0].match': [5, ''],
      'routing.budgets[0].period': ['week'],
      'routing.budgets[0].unit': ['eur'],
      'routing.budgets[0].limit': ['abc', -1],
      'routing.budgets[0].threshold': ['abc', 0, 2],
      'routing.budgets[0].onExhausted': ['explode'],
      'routing.budgets[0].downgradeTo[0].provider': [5, ''],
      'routing.budgets[0].downgradeTo[0].model': [5, ''],
      'routing.budgets[0].enabled': NOT_BOOL,
      'routing.classTargets.simple[0].provider': [5],
      'routing.classTargets.simple[0].model': [5],
      'routing.classTargets.medium[0].provider': [5],
      'routing.classTargets.medium[0].model': [5],
      'routing.classTargets.complex[0].provider': [5],
      'routing.classTargets.complex[0].model': [5],
      'routing.classTargets.very-complex[0].provider': [5],
      'routing.classTargets.very-complex[0].model': [5],
      'routing.retry.attemptsPerTarget': ['abc', 0, 21],
      'routing.retry.maxAttempts': ['abc', 0, 21],
      'routing.retry.baseDelayMs': ['abc', -1],
      'routing.retry.maxDelayMs': ['abc', -1, 1e308],
      'routing.retry.maxRetryAfterMs': ['abc', -1, 1e308],
      'routing.breaker.failureThreshold': ['abc', 0, 1.5],
      'routing.breaker.windowMs': ['abc', 0],
      'routing.breaker.cooldownMs': ['abc', -1],
      "routing.prices['m'].input": ['abc', -1, 1e308, 1_000_001],
      "routing.prices['m'].output": ['abc', -1, 1e308, 1_000_001],
      'scheduling.batching.enabled': NOT_BOOL,
      'scheduling.batching.maxBatchSize': ['abc', 0, 5000],
      'scheduling.batching.maxBatchTokens': ['abc', 0, 1e308],
      'scheduling.batching.maxWaitMs': ['abc', -1, 1e308],
      'scheduling.batching.maxInFlightPerKey': ['abc', 0, 5000],
      'scheduling.batching.gatherMs': ['abc', -1, 1e308],
      'scheduling.scheduler.enabled': NOT_BOOL,
      'scheduling.scheduler.queueTimeoutMs': ['abc', 0, 1e308],
      'scheduling.scheduler.maxQueueDepth': ['abc', -1, 1e308],
      'scheduling.scheduler.agingMs': ['abc', 0, 1e308],
      'scheduling.limiter.enabled': NOT_BOOL,
      'scheduling.limiter.initialLimit': ['abc', 0, 100],
      'scheduling.limiter.minLimit': ['abc', 0, 5000],
      'scheduling.limiter.maxLimit': ['abc', 0, 5000],
      'scheduling.limiter.backoffRatio': ['abc', 0, 1],
      'scheduling.limiter.latencyTolerance': ['abc', 0.5, 1e308],
      'scheduling.limiter.latencySlackMs': ['abc', -1, 1e308],
      'scheduling.limiter.minLatencyWindowMs': ['abc', 0, 1e308],
      'scheduling.clientLimits.enabled': NOT_BOOL,
      'scheduling.clientLimits.default.requestsPerMinute': ['abc', 0, 1e308],
      'scheduling.clientLimits.default.tokensPerMinute': ['abc', 0, 1e308],
      'scheduling.clientLimits.rules[0].client': [5, ''],
      'scheduling.clientLimits.rules[0].requestsPerMinute': ['abc', 0],
      'scheduling.clientLimits.rules[0].tokensPerMinute': ['abc', 0],
      'alerts.enabled': NOT_BOOL,
      'alerts.rules[0].id': [5, 'bad id'],
      'alerts.rules[0].name': [5, ''],
      'alerts.rules[0].metric': ['nope'],
      'alerts.rules[0].comparator': ['=='],
      'alerts.rules[0].threshold': ['abc', 2],
      'alerts.rules[0].forSeconds': ['abc', -1, 1e308],
      'alerts.rules[0].severity': ['dire', 5],
      'alerts.rules[0].enabled': NOT_BOOL,
      'alerts.notifications.webhookUrl': [5, 'ftp://x'],
      "alerts.notifications.webhookHeaders['x-h']": [5, 'two\nlines'],
      'alerts.notifications.minSeverity': ['dire'],
      'alerts.notifications.notifyResolved': NOT_BOOL,
      'alerts.notifications.desktop': NOT_BOOL,
      'alerts.webhook.maxAttempts': ['abc', 0, 1e308],
      'alerts.webhook.baseDelayMs': ['abc', 0, 1e308],
      'alerts.webhook.timeoutMs': ['abc', 0, 1e308],
      "alerts.detectors['errorRate'].warmupSamples": ['abc', 0, 1e308],
      "alerts.detectors['errorRate'].spikeThreshold": ['abc', 0],
      "alerts.detectors['errorRate'].spikeSamples": ['abc', 0, 1e308],
      "alerts.detectors['errorRate'].clearSamples": ['abc', 0, 1e308],
      "alerts.detectors['errorRate'].minScale": ['abc', 0],
      'alerts.minRequests': ['abc', 0, 1.5],
      'alerts.runaway.windowSeconds': ['abc', 0, 1e308],
      'alerts.runaway.minRepeats': ['abc', 1],
      'alerts.runaway.factor': ['abc', 0.5],
      'alerts.retentionDays': ['abc', 0, 1e308],
      'semantic.enabled': NOT_BOOL,
      'semantic.threshold': ['abc', 0.1],
      'semantic.guards': NOT_BOOL,
      'semantic.falseHitMargin': ['abc', 0, 1],
      'semantic.embedder.kind': ['cloud'],
      'semantic.embedder.target.provider': [5, ''],
      'semantic.embedder.target.model': [5, ''],
      'tts.maxInputChars': ['abc', 0, 1e308],
      'tts.sentenceMode.enabled': NOT_BOOL,
      'tts.sentenceMode.concurrency': ['abc', 0, 1000],
      'tts.sentenceMode.maxSentenceChars': ['abc', 5, 1e308],
    },
  },
  {
    base: OTHER_FORMS,
    wrong: {
      'limits.enabled': NOT_BOOL,
      'limits.default.requestsPerMinute': ['abc', 0],
      'limits.default.tokensPerMinute': ['abc', 0],
      'limits.rules[0].client': [5, ''],
      'limits.rules[0].requestsPerMinute': ['abc', 0],
      'limits.rules[0].tokensPerMinute': ['abc', 0],
      'alerts.webhookUrl': [5, 'ftp://x'],
      'semantic.source': ['cloud', 5],
      'semantic.embeddingsModel': [5, ''],
      'semantic.embedder.model': [5, ''],
    },
  },
];

/** Keys whose values another part checks when it is built: a provider type's own `options`, at start. */
const CHECKED_ELSEWHERE = ["providers[].options[*]"];

/** `a[3].b['x']` → `a[].b[*]`: the key a path stands for. */
const keyOf = (path: string) => path.replace(/\[\d+\]/g, '[]').replace(/\['[^']*'\]/g, '[*]');

function documentedKeys(shape: KeyShape | null, path: string, out: string[] = []): string[] {
  if (shape === null) out.push(path);
  else if (shape.kind === 'list') documentedKeys(shape.item, `${path}[]`, out);
  else if (shape.kind === 'map') documentedKeys(shape.value, `${path}[*]`, out);
  else for (const [k, v] of Object.entries(shape.fields)) documentedKeys(v, path ? `${path}.${k}` : k, out);
  return out;
}

function setAt(doc: Record<string, unknown>, path: string, value: unknown): void {
  const parts = [...path.matchAll(/([^.[\]']+)|\['([^']*)'\]|\[(\d+)\]/g)].map((m) => m[1] ?? m[2] ?? Number(m[3]));
  let at: Record<string | number, unknown> = doc;
  for (const p of parts.slice(0, -1)) at = at[p] as Record<string | number, unknown>;
  at[parts.at(-1)!] = value;
}

const dir = mkdtempSync(join(tmpdir(), 'sluice-config-values-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function writeConfig(doc: object): string {
  const path = join(dir, `config-${files++}.json`);
  writeFileSync(path, JSON.stringify(doc));
  return path;
}

/** The file's refusal as the start words it (loadConfig, then each capability's check of its section), or null. */
function refusal(doc: object): string | null {
  try {
    const { config } = loadConfig({}, { configPath: writeConfig(doc) });
    // routing: the file's document is checked when the engine is built, its providers when it starts
    const routing = routingIssues(fromConfigSection(config.routing), config.providers).map((i) => `routing.${i}`);
    if (routing.length) return routing.join('; ');
    resolveSchedulingConfig(config);
    resolveAlertsConfig(config.alerts);
    readTtsConfig(config.tts);
    readGlobalSemantic(config.semantic);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Build an engine from the file, as `sluice serve` does before it listens: the refusal's words, or null. */
async function engineRefusal(doc: object): Promise<string | null> {
  let engine;
  try {
    const { config } = loadConfig({}, { configPath: writeConfig(doc) });
    engine = createEngine(config, defaultDeps(join(dir, 'data'), { logger: silentLogger }), { detectLocal: false });
  } catch (err) {
    return (err as Error).message;
  }
  await engine.stop();
  return null;
}

const clone = <T>(doc: T): T => JSON.parse(JSON.stringify(doc)) as T;

describe('config values', () => {
  it('lists wrong values for every key the config file takes', () => {
    const listed = new Set([...CASES.flatMap((c) => Object.keys(c.wrong)).map(keyOf), ...CHECKED_ELSEWHERE]);
    expect(documentedKeys(CONFIG_KEYS, '').filter((k) => !listed.has(k))).toEqual([]);
  });

  it.each(CASES.map((c, i) => [i, c.base] as const))('starts from the file that holds every key (%i)', async (_i, base) => {
    expect(refusal(base)).toBeNull();
    expect(await engineRefusal(base)).toBeNull();
  });

  const each = CASES.flatMap(({ base, wrong }) => Object.entries(wrong).flatMap(([path, values]) => values.map((v) => [path, JSON.stringify(v), base] as const)));
  it.each(each)('%s: %s is refused, naming the key', (path, value, base) => {
    const doc = clone(base) as Record<string, unknown>;
    setAt(doc, path, JSON.parse(value));
    const words = refusal(doc);
    // a key in a map may be named either way (prices['m'] or prices.m), and a price as a whole (prices['m'] for its input)
    const named = [path, path.replace(/\['([^']*)'\]/g, '.$1'), /^(.*\['[^']*'\])\.\w+$/.exec(path)?.[1]].filter((p) => p !== undefined);
    expect(named.some((p) => words?.includes(p)), `${path} = ${value}: ${words}`).toBe(true);
  });

  // the checks above are the ones the engine runs when it is built: one key of each section on a real engine
  it.each([
    ['server.allowedHosts', 'myhost'], ['server.clientToken', 5], ['server.shutdownGraceMs', -1], ['routing.aliases[0].description', 5],
    ['routing.retry.maxDelayMs', 1e308], ['scheduling.batching.maxWaitMs', 'abc'], ['alerts.webhook.timeoutMs', 1e308],
    ['semantic.embedder.target.model', ''], ['tts.maxInputChars', 0],
  ] as const)('an engine is not built from a file with %s: %j', async (path, value) => {
    const doc = clone(FULL) as Record<string, unknown>;
    setAt(doc, path, value);
    expect(await engineRefusal(doc)).toContain(path);
  });
});
