// Ollama / LM Studio style servers already running on this machine are found at start and offered as providers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, defaultConfig, defaultDeps, silentLogger, type Engine } from '../src/engine/index.ts';
import { FakeUpstream, json } from './helpers/fake-upstream.ts';

let fake: FakeUpstream;
let engine: Engine;
let dataDir: string;

beforeAll(async () => {
  fake = new FakeUpstream();
  fake.on('GET /v1/models', (_req, res) => json(res, 200, { object: 'list', data: [{ id: 'llama3.2:1b', object: 'model', created: 0, owned_by: 'library' }] }));
  const url = await fake.start();
  dataDir = mkdtempSync(join(tmpdir(), 'sluice-detect-'));
  const config = defaultConfig();
  config.server.port = 0;
  engine = createEngine(config, defaultDeps(dataDir, { logger: silentLogger }), {
    detectLocal: [
      { id: 'ollama', label: 'Ollama (detected)', baseUrl: url },
      { id: 'lmstudio', label: 'LM Studio (detected)', baseUrl: 'http://127.0.0.1:1/v1' },
    ],
  });
  await engine.start();
});

afterAll(async () => {
  await engine.stop();
  await fake.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('local server detection', () => {
  it('offers a running server with its models, and skips one that is not running', async () => {
    const res = await fetch(`${engine.url}/admin/api/providers`, { headers: { authorization: `Bearer ${engine.adminToken}` } });
    const providers = (await res.json()) as Array<{ id: string; source: string; models: string[] }>;
    expect(providers.find((p) => p.id === 'ollama')).toMatchObject({ source: 'detected', models: ['llama3.2:1b'] });
    expect(providers.some((p) => p.id === 'lmstudio')).toBe(false);
  });

  it('routes its models to it', async () => {
    const res = await fetch(`${engine.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'llama3.2:1b', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sluice-provider')).toBe('ollama');
  });
});
