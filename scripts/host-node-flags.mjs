// Flags for the process that hosts the engine (npm start / npm run serve / sluice serve / benchmarks).
// V8 lets the young generation grow to 3 × 64 MB semi-spaces under load; at 100 concurrent
// proxied requests that alone took Sluice from ~220 MB to ~320 MB RSS, for no measurable gain in
// throughput (bench:overhead, 2026-12-03). These flags must be given at process start: V8 sizes its
// heap before any code runs, so v8.setFlagsFromString() from inside would be too late.
//
// V8 also picks how far the old generation may grow past what survived the last full collection from
// the heap limit: 4× at a limit of 2,048 MB or more (Node's default on any machine with 8 GB of memory or
// more), less below it (about 2× at 2,000 MB). Sluice keeps 10–20 MB alive under load, so at 4× its old
// space held some 50 MB of garbage between collections: at 100 concurrent proxied requests a limit of
// 2,000 MB took its peak RSS from 226–247 MB to 186–191 MB, for 1–14 % more CPU per plain request and
// 13–18 % more per streamed one at that load, in two A/B runs of 2026-12-03 (README, bench:overhead). At
// the few requests a second an app sends, that is a fraction of a core; the memory is held all day. Cached bodies are Buffers, outside
// this heap; `SLUICE_MAX_HEAP_MB` raises the limit for a memory tier of gigabytes (the engine warns when
// the memory tier's cap is over half the heap limit).

/** The V8 heap limit, MB: SLUICE_MAX_HEAP_MB when it is a whole number from 256, else 2,000. */
export function heapLimitMb(env = process.env) {
  if (env.SLUICE_MAX_HEAP_MB === undefined || env.SLUICE_MAX_HEAP_MB === '') return 2000;
  const given = Number(env.SLUICE_MAX_HEAP_MB);
  if (Number.isInteger(given) && given >= 256) return given;
  process.stderr.write(`SLUICE_MAX_HEAP_MB must be a whole number of MB from 256, got '${env.SLUICE_MAX_HEAP_MB.slice(0, 40)}'; using 2000.\n`);
  return 2000;
}

/** V8 flags: given to Node as they are, and to Electron through --js-flags (which reaches its main process only on the command line). */
export const HOST_V8_FLAGS = ['--max-semi-space-size=8', `--max-old-space-size=${heapLimitMb()}`];

/** Node flags for the headless host. */
export const HOST_NODE_FLAGS = [...HOST_V8_FLAGS];

/**
 * Environment for the host process. glibc gives each thread that allocates its own malloc arena
 * (up to 8 per core), and memory freed in one is not reused by another: with the request log's writer
 * thread, V8's helpers and libuv's pool, two arenas took 15–27 MB off Sluice's peak RSS at 100
 * concurrent proxied requests with no loss of throughput (2026-12-03). Ignored where malloc is not
 * glibc's; a value already in the environment wins.
 */
export const HOST_ENV = { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' };
