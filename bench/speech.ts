// Speech benchmark: audio cache hit rate for whole-text keys vs sentence mode on a trace of chatbot
// replies, and (against the real espeak-ng) time to first audio byte with and without sentence mode,
// and the p95 of 50 concurrent requests; then the same through a running Sluice (child process):
// first audio byte cold vs all sentences cached, and 50 concurrent requests. Run: npx node bench/speech.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDeps } from '../src/engine/deps.ts';
import { silentLogger } from '../src/engine/logger.ts';
import { EspeakAdapter } from '../src/engine/providers/espeak/espeak-adapter.ts';
import { splitSentences } from '../src/engine/tts/sentence-splitter.ts';
import { startSluice } from './lib/processes.ts';
import { streamSentenceSpeech } from '../src/engine/tts/sentence-speech.ts';

function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = generator(42);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

const EN = {
  open: ['Sure!', 'Of course.', 'Let me check.', 'Good question.', 'Happy to help.', 'Got it.', 'Okay.'],
  filler: ['One moment.', 'Here is what I found.', 'Let me explain.', 'In short:'],
  close: ['Anything else?', 'Hope that helps!', 'Let me know if you need more.', 'Have a nice day!'],
  topics: ['the train to Berlin', 'your order', 'the weather tomorrow', 'the meeting notes', 'the invoice', 'your password reset'],
};
const ZH = {
  open: ['好的。', '没问题。', '我来查一下。', '明白了。', '好问题！'],
  filler: ['请稍等。', '我找到了以下信息。', '简单来说：'],
  close: ['还有别的问题吗？', '希望对你有帮助！', '祝你愉快！'],
  topics: ['明天的天气', '你的订单', '会议记录', '火车时刻表', '发票'],
};

function reply(i: number): string {
  const zh = rnd() < 0.4;
  const L = zh ? ZH : EN;
  const parts: string[] = [];
  if (rnd() < 0.85) parts.push(pick(L.open));
  if (rnd() < 0.3) parts.push(pick(L.filler));
  const unique = 1 + Math.floor(rnd() * 3);
  for (let k = 0; k < unique; k++) {
    const n = Math.floor(rnd() * 1000) + i * 1000;
    parts.push(zh ? `关于${pick(L.topics)}，编号${n}的结果是${(n % 97) + 3}项。` : `About ${pick(L.topics)}, item ${n} shows ${(n % 97) + 3} results.`);
  }
  if (rnd() < 0.7) parts.push(pick(L.close));
  return parts.join(zh ? '' : ' ');
}

const trace = Array.from({ length: 500 }, (_, i) => reply(i));

// 1. Cache hit rate, cache as a Set of keys.
function hitRate(keysOf: (text: string) => string[]): { rate: number; lookups: number } {
  const cache = new Set<string>();
  let hits = 0;
  let lookups = 0;
  for (const text of trace) {
    for (const key of keysOf(text)) {
      lookups++;
      if (cache.has(key)) hits++; else cache.add(key);
    }
  }
  return { rate: hits / lookups, lookups };
}
const whole = hitRate((t) => [`alloy|${t}`]);
const sentence = hitRate((t) => splitSentences(t).map((s) => `alloy|${s}`));
const audioShare = (() => {
  // Share of characters to synthesize that were served from cache in sentence mode.
  const cache = new Set<string>();
  let total = 0;
  let cached = 0;
  for (const t of trace) for (const s of splitSentences(t)) { total += s.length; if (cache.has(s)) cached += s.length; else cache.add(s); }
  return cached / total;
})();
console.log(`trace: ${trace.length} replies, e.g. "${trace[0]}" / "${trace[1]}"`);
console.log(`cache hit rate, whole-text keys:  ${(whole.rate * 100).toFixed(1)}% of ${whole.lookups} lookups`);
console.log(`cache hit rate, sentence mode:    ${(sentence.rate * 100).toFixed(1)}% of ${sentence.lookups} lookups (${(audioShare * 100).toFixed(1)}% of characters)`);

// 2. and 3. against espeak-ng.
const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-speech-'));
const deps = defaultDeps(dir, { logger: silentLogger });
const espeak = new EspeakAdapter({ id: 'espeak', type: 'espeak', options: { ffmpegPath: false } }, deps);
if (!espeak.available) {
  console.log('espeak-ng not found on PATH: skipping the latency figures (apt-get install espeak-ng).');
  process.exit(0);
}
const voiceOf = (t: string) => (/[\u4e00-\u9fff]/.test(t) ? 'cmn' : 'en-us');
const ctx = () => ({ signal: new AbortController().signal, requestId: 'bench' });
async function wholeAudio(text: string): Promise<Buffer> {
  const r = await espeak.speech({ model: 'espeak-ng', input: text, voice: voiceOf(text), response_format: 'wav' }, ctx());
  if (r.body.kind !== 'audio') throw new Error('no audio');
  return r.body.bytes;
}
/** Common phrases already in the audio cache (the steady state of a chatbot's openings and closings). */
const warm = new Map<string, Buffer>();
async function firstByteSentenceMode(text: string, cache?: Map<string, Buffer>): Promise<number> {
  const t0 = performance.now();
  const it = streamSentenceSpeech({
    sentences: splitSentences(text), format: 'wav', concurrency: 3,
    synthesize: async (s) => cache?.get(s) ?? wholeAudio(s),
  });
  let first = -1;
  for await (const _chunk of it) { if (first < 0) first = performance.now() - t0; }
  return first;
}
const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };

await wholeAudio('warm up.');
const long = trace.filter((t) => splitSentences(t).length >= 4).slice(0, 20);
const ttfbWhole: number[] = [];
const ttfbSentence: number[] = [];
const ttfbWarm: number[] = [];
for (const L of [EN, ZH]) for (const s of [...L.open, ...L.filler, ...L.close]) warm.set(s, await wholeAudio(s));
for (const text of long) {
  const t0 = performance.now();
  await wholeAudio(text);
  ttfbWhole.push(performance.now() - t0);
  ttfbSentence.push(await firstByteSentenceMode(text));
  ttfbWarm.push(await firstByteSentenceMode(text, warm));
}
const mw = pct(ttfbWhole, 50);
const ms = pct(ttfbSentence, 50);
console.log(`time to first audio byte (${long.length} replies of 4+ sentences, espeak-ng, cold cache):`);
console.log(`  whole text:    p50 ${mw.toFixed(1)} ms, p95 ${pct(ttfbWhole, 95).toFixed(1)} ms`);
console.log(`  sentence mode: p50 ${ms.toFixed(1)} ms, p95 ${pct(ttfbSentence, 95).toFixed(1)} ms  (whole/sentence p50 ratio ${(mw / ms).toFixed(2)})`);
const mwarm = pct(ttfbWarm, 50);
console.log(`  sentence mode, common phrases cached: p50 ${mwarm.toFixed(2)} ms, p95 ${pct(ttfbWarm, 95).toFixed(2)} ms  (whole/sentence p50 ratio ${(mw / mwarm).toFixed(1)})`);

async function concurrent(run: (text: string) => Promise<unknown>): Promise<number[]> {
  const texts = trace.slice(100, 150);
  return Promise.all(texts.map(async (t) => { const t0 = performance.now(); await run(t); return performance.now() - t0; }));
}
const c1 = await concurrent(wholeAudio);
const c2 = await concurrent(firstByteSentenceMode);
console.log('50 concurrent requests against espeak-ng (2 cores):');
console.log(`  whole text, complete audio:  p50 ${pct(c1, 50).toFixed(1)} ms, p95 ${pct(c1, 95).toFixed(1)} ms`);
console.log(`  sentence mode, first byte:   p50 ${pct(c2, 50).toFixed(1)} ms, p95 ${pct(c2, 95).toFixed(1)} ms  (p95 ratio ${(pct(c2, 95) / pct(c1, 95)).toFixed(2)})`);

// 4. Through Sluice: the whole pipeline (validation, routing, per-sentence cache, coalescing, gate).
const sluice = await startSluice({ config: { providers: [{ id: 'espeak', type: 'espeak', maxConnections: 2, options: { ffmpegPath: false } }] } });
try {
  async function viaSluice(text: string): Promise<{ first: number; total: number; cache: string }> {
    const t0 = performance.now();
    const res = await fetch(`${sluice.url}/v1/audio/speech`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'espeak', voice: voiceOf(text), input: text, response_format: 'wav' }),
    });
    if (res.status !== 200) throw new Error(`Sluice answered ${res.status}: ${await res.text()}`);
    let first = -1;
    for await (const _chunk of res.body!) { if (first < 0) first = performance.now() - t0; }
    return { first, total: performance.now() - t0, cache: res.headers.get('x-sluice-cache') ?? '' };
  }
  await viaSluice('warm up.');
  const cold: number[] = [];
  const hot: number[] = [];
  for (const text of long) cold.push((await viaSluice(text)).first);
  for (const text of long) {
    const r = await viaSluice(text);
    if (r.cache !== 'hit-memory') throw new Error(`expected every sentence cached, got ${r.cache}`);
    hot.push(r.first);
  }
  const mc = pct(cold, 50);
  const mh = pct(hot, 50);
  console.log(`through Sluice (sentence mode on, ${long.length} replies of 4+ sentences):`);
  console.log(`  first audio byte, each reply new (common phrases shared): p50 ${mc.toFixed(1)} ms, p95 ${pct(cold, 95).toFixed(1)} ms  (vs whole text direct p50: ratio ${(mw / mc).toFixed(2)})`);
  console.log(`  first audio byte, all sentences cached: p50 ${mh.toFixed(2)} ms, p95 ${pct(hot, 95).toFixed(2)} ms  (cold/cached p50 ratio ${(mc / mh).toFixed(1)})`);
  const texts = trace.slice(200, 250);
  const c3 = await Promise.all(texts.map(async (t) => (await viaSluice(t)).total));
  console.log(`  50 concurrent new replies, complete audio: p50 ${pct(c3, 50).toFixed(1)} ms, p95 ${pct(c3, 95).toFixed(1)} ms  (p95 vs direct whole text ${(pct(c3, 95) / pct(c1, 95)).toFixed(2)})`);
} finally {
  await sluice.stop();
}
await espeak.close();
rmSync(dir, { recursive: true, force: true });
