import { describe, it, expect, afterEach } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Alert } from '../../shared/alerts.ts';
import { ManualClock, systemClock } from '../clock.ts';
import { WebhookNotifier, type FetchLike, type WebhookPayload } from './webhook-notifier.ts';

const alert: Alert = {
  id: 'a1', kind: 'rule', key: 'p95', severity: 'warning', title: 'p95 high', message: 'p95 2.4 s',
  figures: { value: 2400 }, openedAt: 1, updatedAt: 1, resolvedAt: null, acknowledgedAt: null, occurrences: 1,
};

const flush = async () => { for (let i = 0; i < 10; i++) await Promise.resolve(); };

const servers: http.Server[] = [];
afterEach(async () => { await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r)))); });

describe('WebhookNotifier', () => {
  it('POSTs each event as JSON to a real endpoint', async () => {
    const bodies: WebhookPayload[] = [];
    const server = http.createServer((req, res) => {
      let data = '';
      req.on('data', (c) => { data += c; });
      req.on('end', () => { bodies.push(JSON.parse(data)); res.writeHead(204).end(); });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const n = new WebhookNotifier({ url: `http://127.0.0.1:${port}/hook`, clock: systemClock });
    n.notify('opened', alert);
    n.notify('resolved', { ...alert, resolvedAt: 5 });
    await n.idle();
    expect(bodies.map((b) => [b.type, b.action, b.alert.id])).toEqual([['sluice.alert', 'opened', 'a1'], ['sluice.alert', 'resolved', 'a1']]);
    expect(n.delivered).toBe(2);
  });

  it('retries failures with exponential backoff on the clock, without blocking the caller', async () => {
    const clock = new ManualClock();
    const calls: number[] = [];
    const answers = [500, 0, 503, 200];
    const fetch: FetchLike = async () => {
      calls.push(clock.monotonic());
      const status = answers.shift()!;
      if (status === 0) throw new Error('ECONNREFUSED');
      return { status };
    };
    const n = new WebhookNotifier({ url: 'http://hooks.test/x', clock, fetch, random: () => 1, baseDelayMs: 1000 });
    n.notify('opened', alert); // returns at once
    expect(n.pending).toBe(1);
    await flush();
    for (let i = 0; i < 8; i++) { clock.advance(1000); await flush(); }
    await n.idle();
    expect(calls).toEqual([0, 1000, 3000, 7000]);
    expect(n.delivered).toBe(1);
    expect(n.dropped).toBe(0);
  });

  it('gives up after maxAttempts, and at once on a 4xx that retrying will not fix', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const n = new WebhookNotifier({ url: 'https://hooks.test/x', clock, fetch: async () => { calls++; return { status: calls === 1 ? 404 : 502 }; }, maxAttempts: 3, baseDelayMs: 10, random: () => 0 });
    n.notify('opened', alert);
    await flush();
    expect(calls).toBe(1);
    n.notify('resolved', alert);
    for (let i = 0; i < 10; i++) { clock.advance(10); await flush(); }
    await n.idle();
    expect(calls).toBe(4);
    expect(n.dropped).toBe(2);
  });

  it('times out a hanging endpoint on the clock and bounds its queue', async () => {
    const clock = new ManualClock();
    let aborted = 0;
    const fetch: FetchLike = (_u, init) => new Promise((_, reject) => init.signal.addEventListener('abort', () => { aborted++; reject(new Error('aborted')); }));
    const n = new WebhookNotifier({ url: 'http://hooks.test/x', clock, fetch, maxAttempts: 1, timeoutMs: 500, maxQueue: 2 });
    for (let i = 0; i < 5; i++) n.notify('opened', { ...alert, id: `a${i}` });
    expect(n.dropped).toBe(2);
    clock.advance(500); await flush();
    expect(aborted).toBe(1);
    n.close(); // cuts the attempt in progress short
    await n.idle();
    expect(aborted).toBe(2);
    expect(n.dropped).toBe(5);
    expect(n.delivered).toBe(0);
  });

  it('validates its options', () => {
    expect(() => new WebhookNotifier({ url: 'not a url', clock: systemClock })).toThrow(/options.url/);
    expect(() => new WebhookNotifier({ url: 'ftp://x/', clock: systemClock })).toThrow(/http or https/);
    expect(() => new WebhookNotifier({ url: 'http://x/', clock: systemClock, maxAttempts: 0 })).toThrow(/maxAttempts/);
  });
});
