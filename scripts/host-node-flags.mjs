// Node flags for the headless host process (npm start / npm run serve / sluice serve / benchmarks).
// V8 lets the young generation grow to 3 × 64 MB semi-spaces under load; at 100 concurrent
// proxied requests that alone took Sluice from ~220 MB to ~320 MB RSS, for no measurable gain in
// throughput (bench:overhead, 2026-12-03). These flags must be given at process start: V8 sizes its
// heap before any code runs, so v8.setFlagsFromString() from inside would be too late.
export const HOST_NODE_FLAGS = ['--max-semi-space-size=8'];
