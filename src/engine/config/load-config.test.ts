import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_NOTIFICATIONS } from '../../shared/alerts.ts';
import { defaultRoutingConfig } from '../../shared/routing.ts';
import { defaultScheduling } from '../../shared/scheduling.ts';
import { DEFAULT_SEMANTIC_CONFIG } from '../cache/semantic/semantic-config.ts';
import { DEFAULT_TTS_CONFIG } from '../tts/tts-config.ts';
import { defaultConfig } from './defaults.ts';
import { loadConfig } from './load-config.ts';
import { ConfigError } from './validate-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'sluice-config-'));
const file = (name: string, content: string) => { const p = join(dir, name); writeFileSync(p, content); return p; };

describe('loadConfig', () => {
  it('starts from useful defaults: loopback, port 8640, the simulator', () => {
    const { config } = loadConfig({});
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.server.port).toBe(8640);
    expect(config.providers.map((p) => p.id)).toEqual(['simulator']);
  });

  it('adds an OpenAI-compatible provider from OPENAI_API_KEY / OPENAI_BASE_URL', () => {
    const { config } = loadConfig({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: 'https://api.deepseek.com/v1/' });
    const p = config.providers.find((x) => x.id === 'openai')!;
    expect(p).toMatchObject({ type: 'openai-compatible', baseUrl: 'https://api.deepseek.com/v1', apiKey: 'sk-test', source: 'env' });
  });

  it('layers file < environment < command line', () => {
    const path = file('layers.json', JSON.stringify({ server: { port: 9000, host: '127.0.0.3' }, cache: { ttlSeconds: 60 } }));
    const { config } = loadConfig({ SLUICE_CONFIG: path, SLUICE_PORT: '9100' }, { host: '127.0.0.4' });
    expect(config.server.port).toBe(9100);
    expect(config.server.host).toBe('127.0.0.4');
    expect(config.cache.ttlSeconds).toBe(60);
    expect(config.cache.serveStale).toBe(true);
  });

  it('refuses a bad file with a message naming the field', () => {
    const path = file('bad.json', JSON.stringify({ providers: [{ id: 'x', type: 'openai-compatible', baseUrl: 'ftp://nope' }] }));
    expect(() => loadConfig({}, { configPath: path })).toThrow(/providers\[0\]\.baseUrl: must be http or https/);
    expect(() => loadConfig({}, { configPath: file('notjson.json', '{') })).toThrow(/not valid JSON/);
    expect(() => loadConfig({}, { configPath: join(dir, 'missing.json') })).toThrow(/file not found/);
    expect(() => loadConfig({ SLUICE_PORT: '70000' })).toThrow(/^SLUICE_PORT: must be a port number from 0 to 65535, got '70000'/);
    expect(() => loadConfig({ SLUICE_PORT: 'abc' })).toThrow(/^SLUICE_PORT: .* got 'abc'/);
    // named as what was set, not as the key it fills
    expect(() => loadConfig({ SLUICE_CLIENT_TOKEN: 'two words' })).toThrow(/^SLUICE_CLIENT_TOKEN: must be 1–512 visible ASCII characters/);
  });

  it('refuses wrong-typed switches instead of reading them as on', () => {
    const load = (cfg: object) => () => loadConfig({}, { configPath: file('switches.json', JSON.stringify(cfg)) });
    expect(load({ cache: { enabled: 'no' } })).toThrow(/^cache\.enabled: must be true or false/);
    expect(load({ log: { bodies: 'yes' } })).toThrow(/^log\.bodies: must be true or false/);
    expect(load({ cache: { serveStale: 1 } })).toThrow(/^cache\.serveStale: must be true or false/);
    expect(load({ providers: [{ id: 'x', type: 'simulator', enabled: 'false' }] })).toThrow(/^providers\[0\]\.enabled: must be true or false/);
    expect(load({ cache: { perModel: [{ model: 'gpt-*', enabled: 0 }] } })).toThrow(/^cache\.perModel\[0\]\.enabled: must be true or false/);
    expect(load({ cache: { perModel: [{ ttlSeconds: 5 }] } })).toThrow(/^cache\.perModel\[0\]\.model: must be a model name/);
    expect(load({ cache: { enabled: false, serveStale: true }, log: { bodies: true } })).not.toThrow();
  });

  it('reads a file that starts with a byte-order mark', () => {
    const path = file('bom.json', '\uFEFF' + JSON.stringify({ cache: { ttlSeconds: 60 } }));
    expect(loadConfig({}, { configPath: path }).config.cache.ttlSeconds).toBe(60);
  });

  it('names a provider by its index in the file, not in the list with the built-in ones', () => {
    const load = (providers: unknown[]) => () => loadConfig({}, { configPath: file('indices.json', JSON.stringify({ providers })) });
    const ok = { id: 'ok', type: 'simulator' };
    expect(load([{ id: 'Local', type: 'simulator' }])).toThrow(/^providers\[0\]\.id: must be lower-case letters/);
    expect(load([ok, { id: 'Local', type: 'simulator' }])).toThrow(/^providers\[1\]\.id: must be lower-case letters/);
    expect(load([{ id: 'local', type: 'openai-compatible' }])).toThrow(/^providers\[0\]\.baseUrl: required for openai-compatible providers/);
    expect(load([ok, { id: 'ok', type: 'simulator' }])).toThrow(/^providers\[1\]\.id: duplicate provider id 'ok'/);
    expect(load([ok, 'simulator'])).toThrow(/^providers\[1\]: must be an object/);
    expect(() => loadConfig({ OPENAI_BASE_URL: 'ftp://example.com/v1' })).toThrow(/^providers\['openai'\]\.baseUrl: must be http or https/);
  });

  it('refuses a providers section that is not a list, and a section that is not an object, instead of ignoring or crashing', () => {
    expect(() => loadConfig({}, { configPath: file('providers-object.json', '{"providers":{"id":"x"}}') })).toThrow(/^providers: must be a list/);
    expect(() => loadConfig({ SLUICE_PORT: '9000' }, { configPath: file('server-null.json', '{"server":null}') })).toThrow(/^server: must be an object/);
  });

  describe('misspelt keys', () => {
    const load = (name: string, content: object) => () => loadConfig({}, { configPath: file(name, JSON.stringify(content)) });

    it.each([
      [{ cache: { ttlSecond: 60 } }, "cache.ttlSecond: is not a known setting, did you mean 'ttlSeconds'? (known: enabled, memoryMaxBytes, diskMaxBytes, ttlSeconds, mode, serveStale, staleMaxSeconds, perModel)"],
      [{ servr: { port: 18701 } }, "servr: is not a known setting, did you mean 'server'? (known: server, providers, cache, log, routing, scheduling, limits, alerts, semantic, tts)"],
      [{ server: { clienttoken: 'x' } }, "server.clienttoken: is not a known setting, did you mean 'clientToken'?"],
      [{ providers: [{ id: 'a', type: 'simulator' }, { id: 'b', type: 'openai-compatible', baseURL: 'http://x' }] }, "providers[1].baseURL: is not a known setting, did you mean 'baseUrl'?"],
      [{ providers: [{ id: 'a', type: 'simulator', timeouts: { connectMS: 5 } }] }, "providers[0].timeouts.connectMS: is not a known setting, did you mean 'connectMs'?"],
      [{ providers: [{ id: 'a', type: 'simulator', prices: { m: { input: 1, ouput: 2 } } }] }, "providers[0].prices['m'].ouput: is not a known setting, did you mean 'output'?"],
      [{ cache: { perModel: [{ model: 'gpt-*', ttl: 5 }] } }, 'cache.perModel[0].ttl: is not a known setting (known: model, ttlSeconds, mode, enabled)'],
      [{ log: { max_rows: 5 } }, "log.max_rows: is not a known setting, did you mean 'maxRows'?"],
      [{ routing: { rules: [{ id: 'r', name: 'r', enabled: true, when: { tag: ['x'] }, action: { alias: 'fast', strategy: 'fallback' } }] } }, "routing.rules[0].when.tag: is not a known setting, did you mean 'tags'?"],
      [{ routing: { aliases: [{ name: 'a', targets: [{ provider: 'simulator', modle: 'sim-chat' }] }] } }, "routing.aliases[0].targets[0].modle: is not a known setting, did you mean 'model'?"],
      [{ routing: { retry: { maxAttempt: 3 } } }, "routing.retry.maxAttempt: is not a known setting, did you mean 'maxAttempts'?"],
      [{ routing: { classTargets: { hard: [] } } }, 'routing.classTargets.hard: is not a known setting (known: simple, medium, complex, very-complex)'],
      [{ scheduling: { limiter: { maxLimits: 9 } } }, "scheduling.limiter.maxLimits: is not a known setting, did you mean 'maxLimit'?"],
      [{ limits: { rules: [{ client: 'x', requestPerMinute: 5 }] } }, "limits.rules[0].requestPerMinute: is not a known setting, did you mean 'requestsPerMinute'?"],
      [{ alerts: { notification: {} } }, "alerts.notification: is not a known setting, did you mean 'notifications'?"],
      [{ alerts: { rules: [{ id: 'x', metric: 'errorRate', comparator: '>', threshold: 0.5, forSecond: 5 }] } }, "alerts.rules[0].forSecond: is not a known setting, did you mean 'forSeconds'?"],
      [{ semantic: { treshold: 0.9 } }, "semantic.treshold: is not a known setting, did you mean 'threshold'?"],
      [{ tts: { sentenceMode: { concurency: 2 } } }, "tts.sentenceMode.concurency: is not a known setting, did you mean 'concurrency'?"],
    ])('%j is refused, naming the key', (content, message) => {
      const run = load('typo.json', content);
      expect(run).toThrow(ConfigError);
      expect(run).toThrow(message);
    });

    it('suggests nothing when no known key is near', () => {
      expect(load('far.json', { log: { colour: 'blue' } })).toThrow(/^log\.colour: is not a known setting \(known: maxRows, bodies\)$/);
    });

    it('reports every misspelt key at once', () => {
      const run = load('two.json', { cache: { ttlSecond: 1 }, log: { maxRow: 200 } });
      expect(run).toThrow(/cache\.ttlSecond: .*; log\.maxRow: /);
    });

    it('takes any key where the section is a map by design: prices by model, options, headers, detectors', () => {
      const { config } = loadConfig({}, {
        configPath: file('maps.json', JSON.stringify({
          providers: [{
            id: 'up', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', headers: { 'X-Anything': '1' },
            options: { whatever: 1 }, prices: { 'any-model:v2': { input: 1, output: 2 } },
          }],
          routing: { prices: { 'gpt-4o-mini': { input: 0.15, output: 0.6 } } },
          alerts: { notifications: { webhookHeaders: { 'X-Token': 't' } }, detectors: { 'latency.p95Ms': { spikeThreshold: 4 }, errorRate: false } },
          tts: { sentenceMode: false },
        })),
      });
      expect(config.providers.find((p) => p.id === 'up')?.options).toEqual({ whatever: 1 });
    });

    it("accepts every section's defaults as written out in full", () => {
      const full = {
        ...defaultConfig(),
        routing: defaultRoutingConfig(),
        scheduling: defaultScheduling(),
        alerts: { notifications: DEFAULT_ALERT_NOTIFICATIONS },
        semantic: DEFAULT_SEMANTIC_CONFIG,
        tts: DEFAULT_TTS_CONFIG,
      };
      expect(() => loadConfig({}, { configPath: file('defaults.json', JSON.stringify(full)) })).not.toThrow();
    });
  });
});
