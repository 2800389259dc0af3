// The Edge adapter against a fake read-aloud server (node:http 'upgrade', minimal RFC 6455).
import { describe, it, expect, beforeEach, afterEach, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../clock.ts';
import { defaultDeps } from '../../deps.ts';
import { silentLogger } from '../../logger.ts';
import { edgeTimestamp, escapeSsml, parseBinaryMessage, binaryAudioMessage, prosodyRate, secMsGec } from './edge-protocol.ts';
import { EdgeTtsAdapter, edgeTtsFactory } from './edge-tts-adapter.ts';
import { FakeEdgeServer } from './fake-edge-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'sluice-edge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let server: FakeEdgeServer;
let url: string;
let clock: ManualClock;
beforeEach(async () => { server = new FakeEdgeServer(); url = await server.start(); clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0)); });
afterEach(async () => { await server.stop(); });

const make = (options: Record<string, unknown> = {}) => edgeTtsFactory(
  { id: 'edge', type: 'edge-tts', baseUrl: url, options }, defaultDeps(dir, { logger: silentLogger, clock, random: () => 0.5 }),
) as EdgeTtsAdapter;
const ctx = (signal = new AbortController().signal) => ({ signal, requestId: 'r' });
const req = { model: 'edge-tts', input: 'Hello & <welcome>. 你好。', voice: 'zh-CN-XiaoxiaoNeural', response_format: 'mp3' as const, speed: 1.5 };
const until = async (cond: () => boolean) => { for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 2)); };

describe('Edge read-aloud adapter', () => {
  it('speaks the protocol and returns the audio frames joined, byte for byte', async () => {
    const chunks = [Buffer.from([0xff, 0xf3, 1, 2, 3]), Buffer.from([4, 5]), Buffer.from([6])];
    server.onTurn = (t) => t.conn.sendTurn(t.requestId, chunks);
    const res = await make().speech(req, ctx());
    expect(res.body).toEqual({ kind: 'audio', bytes: Buffer.concat(chunks), contentType: 'audio/mpeg' });

    const conn = server.connections[0];
    const q = new URL(conn.url, 'ws://x');
    expect(q.pathname).toBe('/consumer/speech/synthesize/readaloud/edge/v1');
    expect(q.searchParams.get('TrustedClientToken')).toBe('6A5AA1D4EAFF4E9FB37E23D68491D6F4');
    expect(q.searchParams.get('Sec-MS-GEC')).toBe(secMsGec(clock.now()));
    expect(q.searchParams.get('Sec-MS-GEC-Version')).toMatch(/^1-\d+\.\d+\.\d+\.\d+$/);
    expect(q.searchParams.get('ConnectionId')).toMatch(/^[0-9a-f]{32}$/);
    expect(conn.headers.origin).toBe('chrome-extension://jdiccldimpdaibmpdkjnbmckianbfold');

    const [config, ssml] = conn.received;
    expect(config).toContain('Path:speech.config');
    expect(config).toContain('"outputFormat":"audio-24khz-48kbitrate-mono-mp3"');
    expect(ssml).toContain('Path:ssml');
    expect(ssml).toContain("<voice name='zh-CN-XiaoxiaoNeural'>");
    expect(ssml).toContain("xml:lang='zh-CN'");
    expect(ssml).toContain("rate='+50%'");
    expect(ssml).toContain('Hello &amp; &lt;welcome&gt;. 你好。');
  });

  it('fails when the server closes before turn.end, never returning the partial audio', async () => {
    server.onTurn = (t) => { t.conn.sendTurn(t.requestId, [Buffer.from('partial')], { end: false }); t.conn.close(1011); };
    await expect(make().speech(req, ctx())).rejects.toMatchObject({ code: 'SLUICE_UPSTREAM_PROTOCOL', message: expect.stringContaining('before the end') });
  });

  it('fails when the connection drops midway', async () => {
    server.onTurn = (t) => { t.conn.sendTurn(t.requestId, [Buffer.from('partial')], { end: false }); setTimeout(() => t.conn.destroy(), 5); };
    await expect(make().speech(req, ctx())).rejects.toMatchObject({ code: 'SLUICE_UPSTREAM_PROTOCOL' });
  });

  it('reports a turn with no audio (unknown voice on the service) as an upstream error', async () => {
    server.onTurn = (t) => t.conn.sendTurn(t.requestId, []);
    await expect(make().speech({ ...req, voice: 'en-US-NobodyNeural' }, ctx())).rejects.toMatchObject({ message: expect.stringContaining("no audio for voice 'en-US-NobodyNeural'") });
  });

  it('times out on the injected clock and closes the connection', async () => {
    server.onTurn = () => { /* never answers */ };
    const p = make({ timeoutMs: 10_000 }).speech(req, ctx());
    await until(() => server.connections[0]?.received.length === 2);
    clock.advance(10_000);
    await expect(p).rejects.toMatchObject({ code: 'SLUICE_UPSTREAM_TIMEOUT' });
  });

  it('stops when the caller aborts', async () => {
    server.onTurn = () => {};
    const ac = new AbortController();
    const p = make().speech(req, ctx(ac.signal));
    await until(() => server.connections[0]?.received.length === 2);
    ac.abort(new Error('client went away'));
    await expect(p).rejects.toThrow('client went away');
  });

  it('enforces the audio size limit', async () => {
    server.onTurn = (t) => t.conn.sendTurn(t.requestId, [Buffer.alloc(600), Buffer.alloc(600)]);
    await expect(make({ maxAudioBytes: 1000 }).speech(req, ctx())).rejects.toMatchObject({ message: expect.stringContaining('1000 bytes') });
  });

  it('reports an endpoint nobody listens on as unreachable', async () => {
    await server.stop();
    await expect(make().speech(req, ctx())).rejects.toMatchObject({ code: 'SLUICE_UPSTREAM_UNREACHABLE' });
  });

  it('answers 400 for formats it does not offer and for voices that are not Edge voices', async () => {
    const a = make();
    expect(a.speechFormats()).toEqual(['mp3']);
    await expect(a.speech({ ...req, response_format: 'wav' }, ctx())).rejects.toMatchObject({ status: 400, param: 'response_format', message: expect.stringContaining('mp3') });
    await expect(a.speech({ ...req, voice: 'alloy' }, ctx())).rejects.toMatchObject({ status: 400, param: 'voice' });
    expect(server.connections).toHaveLength(0);
  });

  it('asks for the configured output format (riff PCM for wav)', async () => {
    const res = await make({ formats: ['mp3', 'wav'] }).speech({ ...req, response_format: 'wav' }, ctx());
    expect(res.body).toMatchObject({ contentType: 'audio/wav' });
    expect(server.connections[0].received[0]).toContain('riff-24khz-16bit-mono-pcm');
  });

  it('lists Chinese and English voices and fails fast on bad options', async () => {
    const ids = (await make().listVoices()).map((v) => v.id);
    expect(ids).toEqual(expect.arrayContaining(['zh-CN-XiaoxiaoNeural', 'en-US-AriaNeural']));
    expect(() => make({ formats: ['ogg'] })).toThrow(/formats/);
    expect(() => edgeTtsFactory({ id: 'e', type: 'edge-tts', baseUrl: 'ftp://x' }, defaultDeps(dir))).toThrow(/ws\(s\):\/\//);
  });
});

describe('Edge protocol pieces', () => {
  it('derives Sec-MS-GEC from the time rounded to five minutes', () => {
    const t = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(secMsGec(t)).toMatch(/^[0-9A-F]{64}$/);
    expect(secMsGec(t + 299_000)).toBe(secMsGec(t));
    expect(secMsGec(t + 300_000)).not.toBe(secMsGec(t));
  });

  it('formats timestamps, rates and escapes', () => {
    expect(edgeTimestamp(Date.UTC(2026, 0, 1, 9, 5, 7))).toBe('Thu Jan 01 2026 09:05:07 GMT+0000 (Coordinated Universal Time)');
    expect(prosodyRate(0.5)).toBe('-50%');
    expect(prosodyRate(1)).toBe('+0%');
    expect(escapeSsml(`a<b>&'"\u0001`)).toBe('a&lt;b&gt;&amp;&apos;&quot; ');
  });

  it('round-trips binary audio messages with the 2-byte header length', () => {
    const msg = parseBinaryMessage(binaryAudioMessage('abc', Buffer.from([1, 2, 3])));
    expect(msg?.headers.Path).toBe('audio');
    expect(msg?.body).toEqual(Buffer.from([1, 2, 3]));
    expect(parseBinaryMessage(Buffer.from([0, 50, 1]))).toBeNull();
  });
});
