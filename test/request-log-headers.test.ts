// The request log keeps a request's headers for its detail dialog, never a secret's value.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RequestDetail } from '../src/shared/admin/core-routes.ts';
import { fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

let sluice: TestEngine;
beforeAll(async () => { sluice = await startTestEngine({ providers: [fastSimulator] }); });
afterAll(async () => { await sluice.stop(); });

it('redacts the values of headers whose names say they carry a secret, and keeps the others', async () => {
  const secrets = {
    authorization: 'Bearer whatever', 'x-custom-token': 'CUSTOMSECRET1', 'x-goog-api-key': 'AIzaCUSTOMSECRET2',
    'x-auth-user': 'CUSTOMSECRET3', 'x-session-id': 'CUSTOMSECRET4', 'x-client-secret': 'CUSTOMSECRET5',
  };
  const res = await fetch(`${sluice.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-sluice-tags': 'team-a', 'x-request-source': 'unit-test', ...secrets },
    body: JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'hi' }] }),
  });
  expect(res.status).toBe(200);
  const { detail } = await (await sluice.admin(`/admin/api/requests/${res.headers.get('x-request-id')}`)).json() as RequestDetail;
  for (const name of Object.keys(secrets)) expect(detail.requestHeaders[name]).toBe('[redacted]');
  expect(detail.requestHeaders['x-sluice-tags']).toBe('team-a');
  expect(detail.requestHeaders['x-request-source']).toBe('unit-test');
  expect(JSON.stringify(detail)).not.toContain('CUSTOMSECRET');
});
