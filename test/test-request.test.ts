// The panel's "Send a test request" goes through the proxy endpoint as an app's request does, with the
// client token the panel does not hold, and says what Sluice answered.
import { afterEach, describe, expect, it } from 'vitest';
import type { TestRequestResult } from '../src/shared/admin/core-routes.ts';
import { fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

let sluice: TestEngine | null = null;
afterEach(async () => { await sluice?.stop(); sluice = null; });

const sendTest = (s: TestEngine, model: unknown) => s.admin('/admin/api/requests/test', { method: 'POST', body: JSON.stringify({ model }) });

describe('POST /admin/api/requests/test', () => {
  it('works where a client token is required, which a request from the browser was refused for', async () => {
    sluice = await startTestEngine({ providers: [fastSimulator], config: { server: { clientToken: 'client-secret-token' } } });
    const fromBrowser = await fetch(`${sluice.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(fromBrowser.status).toBe(401);

    const res = await sendTest(sluice, 'sim-chat');
    expect(res.status).toBe(200);
    const r = await res.json() as TestRequestResult;
    expect(r).toMatchObject({ status: 200, provider: 'simulator', model: 'sim-chat', error: null });
    expect(r.latencyMs).toBeGreaterThan(0);
    // a real request: in the log, from the panel
    const detail = await (await sluice.admin(`/admin/api/requests/${r.requestId}`)).json() as { status: number; client: string };
    expect(detail).toMatchObject({ status: 200, client: 'panel' });
  });

  it('says what Sluice answered when the request fails, and refuses a body without a model', async () => {
    sluice = await startTestEngine({ providers: [fastSimulator] });
    const r = await (await sendTest(sluice, 'no-such-model')).json() as TestRequestResult;
    expect(r).toMatchObject({ status: 404, error: { code: 'model_not_found' } });
    expect(r.error?.message).toContain('no-such-model');
    const refused = await sendTest(sluice, 42);
    expect(refused.status).toBe(400);
    expect((await refused.json() as { error: { param: string } }).error.param).toBe('model');
  });
});
