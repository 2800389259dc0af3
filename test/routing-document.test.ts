// Saving a routing document through the admin API: sections it leaves out take the defaults the config
// file's routing section takes; only a section that is present and malformed is refused.
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_BREAKER, DEFAULT_RETRY, type RoutingConfig } from '../src/shared/routing.ts';
import { FakeUpstream } from './helpers/fake-upstream.ts';
import { fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function setup(): Promise<TestEngine> {
  const a = new FakeUpstream();
  const ua = await a.start();
  cleanups.push(() => a.stop());
  const sluice = await startTestEngine({
    providers: [fastSimulator, { id: 'a', type: 'openai-compatible', baseUrl: ua }],
    config: { cache: { enabled: false } },
  });
  cleanups.push(() => sluice.stop());
  return sluice;
}

const team = { name: 'team', targets: [{ provider: 'a', model: 'm1' }] };

const chat = (url: string, model: string) => fetch(`${url}/v1/chat/completions`, {
  method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
});

describe('a routing document that leaves sections out', () => {
  it('is saved by PUT with the defaults for classTargets, retry and breaker, and serves', async () => {
    const sluice = await setup();
    const res = await sluice.admin('/admin/api/routing', { method: 'PUT', body: JSON.stringify({ aliases: [team], rules: [], budgets: [] }) });
    expect(res.status).toBe(200);
    const { config } = await res.json() as { config: RoutingConfig };
    expect(config).toMatchObject({ aliases: [team], rules: [], budgets: [], classTargets: {}, retry: DEFAULT_RETRY, breaker: DEFAULT_BREAKER });
    expect((await chat(sluice.url, 'team')).headers.get('x-sluice-provider')).toBe('a');
  });

  it('is imported, bare or as an export file, with rules, aliases and budgets empty when absent', async () => {
    const sluice = await setup();
    const bare = await sluice.admin('/admin/api/routing/import', { method: 'POST', body: JSON.stringify({ aliases: [team] }) });
    expect(bare.status).toBe(200);
    expect((await bare.json() as { config: RoutingConfig }).config).toMatchObject({ aliases: [team], rules: [], budgets: [], retry: DEFAULT_RETRY });

    const file = { format: 'sluice-routing', version: 1, routing: { retry: { maxAttempts: 2 } } };
    const imported = await sluice.admin('/admin/api/routing/import', { method: 'POST', body: JSON.stringify(file) });
    expect(imported.status).toBe(200);
    const { config } = await imported.json() as { config: RoutingConfig };
    expect(config).toMatchObject({ aliases: [], rules: [], budgets: [], classTargets: {}, breaker: DEFAULT_BREAKER });
    expect(config.retry).toEqual({ ...DEFAULT_RETRY, maxAttempts: 2 });
  });

  it('is still refused for a section that is present and malformed, naming only that section', async () => {
    const sluice = await setup();
    const res = await sluice.admin('/admin/api/routing', { method: 'PUT', body: JSON.stringify({ aliases: [team], retry: 'fast', breaker: { failureThreshold: 0 } }) });
    expect(res.status).toBe(400);
    const { error } = await res.json() as { error: { message: string; issues: Array<{ param: string | null; message: string }> } };
    // each problem also comes on its own with its path, for forms to place under the right field
    expect(error.issues).toEqual([
      { param: 'retry', message: 'must be an object', code: 'object' },
      { param: 'breaker.failureThreshold', message: expect.stringContaining('must be a positive integer'), code: 'positiveInteger' },
    ]);
    expect(error.message).toContain('retry: must be an object');
    expect(error.message).toContain('breaker.failureThreshold: must be a positive integer');
    expect(error.message).not.toContain('classTargets');
    expect(error.message).not.toContain('rules');
    const { config } = await (await sluice.admin('/admin/api/routing')).json() as { config: RoutingConfig };
    expect(config.aliases).toEqual([]);
  });

  it('refuses a key it does not know, as the config file does, instead of saving a rule that matches everything', async () => {
    const sluice = await setup();
    const rule = { id: 'r1', name: 'tagged', when: { tagz: ['a'] }, action: { targets: [{ provider: 'simulator', model: 'sim-fast' }], strategy: 'fallback' } };
    const res = await sluice.admin('/admin/api/routing', { method: 'PUT', body: JSON.stringify({ aliases: [team], rules: [rule], retry: { maxAttempt: 3 } }) });
    expect(res.status).toBe(400);
    const { error } = await res.json() as { error: { issues: Array<{ param: string; message: string }> } };
    // with a code and the values the panel words it with in the reader's language
    expect(error.issues).toEqual(expect.arrayContaining([
      expect.objectContaining({ param: 'rules[0].when.tagz', message: expect.stringContaining("did you mean 'tags'?"), code: 'unknownKey', vars: expect.objectContaining({ near: 'tags' }) }),
      expect.objectContaining({ param: 'retry.maxAttempt', message: expect.stringContaining("did you mean 'maxAttempts'?"), code: 'unknownKey', vars: expect.objectContaining({ near: 'maxAttempts' }) }),
    ]));
    const { config } = await (await sluice.admin('/admin/api/routing')).json() as { config: RoutingConfig };
    expect(config.rules).toEqual([]);
    const imported = await sluice.admin('/admin/api/routing/import', { method: 'POST', body: JSON.stringify({ routing: 'x' }) });
    expect(imported.status).toBe(400);
  });

  it('drops the engine’s description of a built-in alias when it is switched, keeping one the user wrote', async () => {
    const sluice = await setup();
    const put = (name: string, body: object) => sluice.admin(`/admin/api/routing/aliases/${name}`, { method: 'PUT', body: JSON.stringify(body) });
    // smart pointed at the cheapest model is no longer "the strongest model"
    const res = await put('smart', { targets: [{ provider: 'simulator', model: 'sim-fast' }] });
    expect(res.status).toBe(200);
    const { config } = await res.json() as { config: RoutingConfig };
    const smart = config.aliases.find((a) => a.name === 'smart')!;
    expect(smart.targets).toEqual([{ provider: 'simulator', model: 'sim-fast' }]);
    expect(smart.description).toBeUndefined();
    // a description the user wrote stays through a switch
    const mine = { name: 'fast', targets: [{ provider: 'simulator', model: 'sim-fast' }], description: 'for drafts' };
    expect((await sluice.admin('/admin/api/routing', { method: 'PUT', body: JSON.stringify({ ...config, aliases: [...config.aliases, mine] }) })).status).toBe(200);
    const after = await (await put('fast', { targets: [{ provider: 'simulator', model: 'sim-chat' }] })).json() as { config: RoutingConfig };
    expect(after.config.aliases.find((a) => a.name === 'fast')).toMatchObject({ targets: [{ provider: 'simulator', model: 'sim-chat' }], description: 'for drafts' });
  });
});

describe('a routing document saved over the version it was made to', () => {
  it('is refused with a 409 when another save came in between, so that save is not undone', async () => {
    const sluice = await setup();
    const put = (doc: object, query = '') => sluice.admin(`/admin/api/routing${query}`, { method: 'PUT', body: JSON.stringify(doc) });
    const loaded = await (await sluice.admin('/admin/api/routing')).json() as { config: RoutingConfig; seq: number | null };
    expect(loaded.seq).toBeNull();
    const first = await put({ aliases: [team] }, '?baseSeq=0');
    expect(first.status).toBe(200);
    const saved = await first.json() as { seq: number };

    // another window switches the alias; this one still holds the document it loaded first
    const other = { name: 'team', targets: [{ provider: 'simulator', model: 'sim-fast' }] };
    expect((await sluice.admin('/admin/api/routing/aliases/team', { method: 'PUT', body: JSON.stringify({ targets: other.targets }) })).status).toBe(200);
    const stale = await put({ aliases: [team], rules: [] }, `?baseSeq=${saved.seq}`);
    expect(stale.status).toBe(409);
    const err = (await stale.json() as { error: { code: string; param: string; message: string } }).error;
    expect(err).toMatchObject({ code: 'routing_changed', param: 'baseSeq' });
    expect(err.message).toContain('reload it and make the change again');
    expect((await chat(sluice.url, 'team')).headers.get('x-sluice-provider')).toBe('simulator');

    // over the current version it saves; without baseSeq it saves as it always has (scripts)
    const now = await (await sluice.admin('/admin/api/routing')).json() as { seq: number };
    expect((await put({ aliases: [team] }, `?baseSeq=${now.seq}`)).status).toBe(200);
    expect((await put({ aliases: [team] })).status).toBe(200);
    for (const q of ['?baseSeq=-1', '?baseSeq=abc', '?seq=1']) expect((await put({ aliases: [team] }, q)).status, q).toBe(400);
  });
});

describe('a one-call routing edit', () => {
  const twoAliases = { aliases: [team, { name: 'other', targets: [{ provider: 'simulator', model: 'sim-fast' }] }] };
  const putAlias = (sluice: TestEngine, name: string, body: object) =>
    sluice.admin(`/admin/api/routing/aliases/${name}`, { method: 'PUT', body: JSON.stringify(body) });
  type Refusal = { error: { message: string; param: string | null; issues?: Array<{ param: string; message: string }> } };

  it('names an alias\'s problems in the terms of the body sent, not of the whole document', async () => {
    const sluice = await setup();
    expect((await sluice.admin('/admin/api/routing', { method: 'PUT', body: JSON.stringify(twoAliases) })).status).toBe(200);
    const unknown = await putAlias(sluice, 'zz', { targets: [{ provider: 'nope', model: 'm' }] });
    expect(unknown.status).toBe(400);
    const { error } = await unknown.json() as Refusal;
    expect(error.message).toBe("targets[0].provider: unknown provider 'nope'");
    expect(error.param).toBe('targets[0].provider');
    expect(error.issues?.map((i) => i.param)).toEqual(['targets[0].provider']);
    const badName = await (await putAlias(sluice, '-zz', { targets: [{ provider: 'simulator', model: 'sim-fast' }] })).json() as Refusal;
    expect(badName.error.param).toBe('name');
    expect(badName.error.message).toMatch(/^name: must be 1-64 letters/);
    // not an object: said as such, not as a JavaScript TypeError
    const notObject = await (await putAlias(sluice, 'zz', { targets: [null] })).json() as Refusal;
    expect(notObject.error.message).toBe('targets[0]: must be an object { provider, model }');
  });

  it('refuses a key it does not take, naming it, instead of dropping it', async () => {
    const sluice = await setup();
    const res = await putAlias(sluice, 'team', { targets: [{ provider: 'simulator', model: 'sim-fast', weight: 2 }], description: 'v1' });
    expect(res.status).toBe(400);
    const { error } = await res.json() as Refusal;
    expect(error.issues?.map((i) => i.param)).toEqual(['targets[0].weight', 'description']);
    expect(error.message).toContain('description: is not a known setting (known: targets, strategy, weights)');
    const rule = { id: 'r1', name: 'all', enabled: true, when: {}, action: { targets: [{ provider: 'simulator', model: 'sim-fast' }], strategy: 'fallback' } };
    expect((await sluice.admin('/admin/api/routing', { method: 'PUT', body: JSON.stringify({ rules: [rule] }) })).status).toBe(200);
    const toggle = await sluice.admin('/admin/api/routing/rules/r1/enabled', { method: 'PUT', body: JSON.stringify({ enabled: false, note: 'x' }) });
    expect(toggle.status).toBe(400);
    expect((await toggle.json() as Refusal).error.param).toBe('note');
    const { config } = await (await sluice.admin('/admin/api/routing')).json() as { config: RoutingConfig };
    expect(config.aliases).toEqual([]);
    expect(config.rules[0].enabled).toBe(true);
  });

  it('answers 404 for a rule that does not exist, as for every other missing object', async () => {
    const sluice = await setup();
    const res = await sluice.admin('/admin/api/routing/rules/nope/enabled', { method: 'PUT', body: JSON.stringify({ enabled: true }) });
    expect(res.status).toBe(404);
    expect((await res.json() as Refusal).error.message).toBe("No routing rule with id 'nope'.");
  });

  it('saves no version when it changes nothing, and says so', async () => {
    const sluice = await setup();
    const target = { targets: [{ provider: 'simulator', model: 'sim-fast' }] };
    const first = await (await putAlias(sluice, 'team', target)).json() as { seq: number; changed: boolean };
    expect(first.changed).toBe(true);
    for (let i = 0; i < 3; i++) {
      const again = await (await putAlias(sluice, 'team', target)).json() as { seq: number; changed: boolean };
      expect(again).toMatchObject({ seq: first.seq, changed: false });
    }
    // the same document with its keys in another order is the same document
    const { config } = await (await sluice.admin('/admin/api/routing')).json() as { config: RoutingConfig };
    const reordered = Object.fromEntries(Object.entries(config).reverse());
    expect(await (await sluice.admin('/admin/api/routing', { method: 'PUT', body: JSON.stringify(reordered) })).json()).toMatchObject({ changed: false });
    expect(await (await sluice.admin(`/admin/api/routing/history/${first.seq}/rollback`, { method: 'POST', body: '{}' })).json()).toMatchObject({ changed: false });
    const history = await (await sluice.admin('/admin/api/routing/history')).json() as Array<{ version: number; changed: string[] | null }>;
    expect(history).toEqual([expect.objectContaining({ version: 1, changed: null })]);
  });
});
