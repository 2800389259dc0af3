import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.ts';

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
    expect(() => loadConfig({}, { configPath: path })).toThrow(/providers\[1\]\.baseUrl: must be http or https/);
    expect(() => loadConfig({}, { configPath: file('notjson.json', '{') })).toThrow(/not valid JSON/);
    expect(() => loadConfig({}, { configPath: join(dir, 'missing.json') })).toThrow(/file not found/);
    expect(() => loadConfig({ SLUICE_PORT: '70000' })).toThrow(/server\.port/);
  });
});
