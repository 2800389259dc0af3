// A provider that routing names cannot be deleted without a word, and a provider that went some other
// way never blocks a routing edit elsewhere. Deleting one used to succeed, after which every routing edit,
// an emergency alias switch included, was refused for the aliases and rules that still named it.
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../src/shared/config.ts';
import { fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const second: ProviderConfig = { ...fastSimulator, id: 'sim2', label: 'Second simulator', source: 'config' };

/** alias main and rule r-slow fall back to sim2, budget b2 counts it, and `auto`'s complex class goes to it. */
const routing = {
  aliases: [
    { name: 'main', targets: [{ provider: 'simulator', model: 'sim-chat' }, { provider: 'sim2', model: 'sim-chat' }] },
    { name: 'other', targets: [{ provider: 'simulator', model: 'sim-chat' }] },
  ],
  rules: [{ id: 'r-slow', name: 'slow ones', enabled: true, when: { tags: ['slow'] }, action: { targets: [{ provider: 'sim2', model: 'sim-fast' }], strategy: 'fallback' } }],
  budgets: [{ id: 'b2', scope: 'provider', match: 'sim2', period: 'day', unit: 'tokens', limit: 1000, onExhausted: 'refuse' }],
  classTargets: { complex: [{ provider: 'sim2', model: 'sim-reasoner' }] },
};

async function json<T>(res: Response): Promise<T> { return (await res.json()) as T; }

const switchOther = (sluice: TestEngine) => sluice.admin('/admin/api/routing/aliases/other', {
  method: 'PUT', body: JSON.stringify({ targets: [{ provider: 'simulator', model: 'sim-fast' }] }),
});

describe('a provider that routing names', () => {
  it('is not deleted: the 409 names every alias, rule, budget and class that still uses it', async () => {
    const sluice = await startTestEngine({ providers: [fastSimulator, second], config: { routing } });
    cleanups.push(() => sluice.stop());
    const res = await sluice.admin('/admin/api/providers/sim2', { method: 'DELETE' });
    expect(res.status).toBe(409);
    const { error } = await json<{ error: { code: string; message: string; issues: Array<{ param: string; code: string; vars: { name: string } }> } }>(res);
    expect(error.code).toBe('provider_in_use');
    expect(error.message).toBe("Provider 'sim2' is still named by routing: alias 'main', rule 'slow ones', budget 'b2' and auto class 'complex'. "
      + 'Point them at another provider (the Routing page, or PUT /admin/api/routing), then delete it.');
    expect(error.issues.map((i) => [i.param, i.code, i.vars.name])).toEqual([
      ['aliases[0].targets[1].provider', 'alias', 'main'],
      ['rules[0].action.targets[0].provider', 'rule', 'slow ones'],
      ['budgets[0].match', 'budget', 'b2'],
      ['classTargets.complex[0].provider', 'class', 'complex'],
    ]);
    const providers = await json<Array<{ id: string }>>(await sluice.admin('/admin/api/providers'));
    expect(providers.map((p) => p.id)).toContain('sim2');

    // once nothing names it, it goes
    const doc = (await json<{ config: Record<string, unknown> }>(await sluice.admin('/admin/api/routing'))).config;
    const unnamed = { ...doc, aliases: [routing.aliases[1]], rules: [], budgets: [], classTargets: {} };
    expect((await sluice.admin('/admin/api/routing', { method: 'PUT', body: JSON.stringify(unnamed) })).status).toBe(200);
    expect((await sluice.admin('/admin/api/providers/sim2', { method: 'DELETE' })).status).toBe(200);
  });

  it('gone some other way (no longer in the config file), is named at start and blocks no edit elsewhere; a new reference to an unknown provider is still refused', async () => {
    const first = await startTestEngine({ providers: [fastSimulator, second], keepDataDir: true });
    cleanups.push(async () => rmSync(first.dataDir, { recursive: true, force: true }));
    expect((await first.admin('/admin/api/routing', { method: 'PUT', body: JSON.stringify(routing) })).status).toBe(200);
    await first.stop();

    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (msg: string) => { warnings.push(msg); } };
    const sluice = await startTestEngine({ providers: [fastSimulator], dataDir: first.dataDir, keepDataDir: true, deps: { logger } });
    cleanups.push(() => sluice.stop());
    expect(warnings).toContain("routing: alias 'main', rule 'slow ones', budget 'b2' and auto class 'complex' name provider 'sim2', which is not configured; their targets on it are skipped until it is back or they are changed");

    // the emergency switch of another alias goes through
    const switched = await switchOther(sluice);
    expect(switched.status).toBe(200);
    const aliases = (await json<{ config: { aliases: Array<{ name: string; targets: Array<{ model: string }> }> } }>(switched)).config.aliases;
    expect(aliases.find((a) => a.name === 'other')?.targets).toEqual([{ provider: 'simulator', model: 'sim-fast' }]);

    // a typo in what is being saved is not a stale reference: still refused
    const typo = await sluice.admin('/admin/api/routing/aliases/other', { method: 'PUT', body: JSON.stringify({ targets: [{ provider: 'simualtor', model: 'sim-fast' }] }) });
    expect(typo.status).toBe(400);
    expect((await json<{ error: { message: string } }>(typo)).error.message).toMatch(/targets\[0\]\.provider: unknown provider 'simualtor'/);
  });
});
