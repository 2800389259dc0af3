// Flags for the process that hosts the engine (npm start / npm run serve / sluice serve / benchmarks).
// V8 lets the young generation grow to 3 × 64 MB semi-spaces under load; at 100 concurrent
// proxied requests that alone took Sluice from ~220 MB to ~320 MB RSS, for no measurable gain in
// throughput (bench:overhead, 2026-12-03). These flags must be given at process start: V8 sizes its
// heap before any code runs, so v8.setFlagsFromString() from inside would be too late.

/** V8 flags: given to Node as they are, and to Electron through --js-flags (which reaches its main process only on the command line). */
export const HOST_V8_FLAGS = ['--max-semi-space-size=8'];

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
