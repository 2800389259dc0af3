/** V8 flags for the engine's host process; see host-node-flags.mjs. */
export declare const HOST_V8_FLAGS: string[];
/** Node flags for the headless host process; see host-node-flags.mjs. */
export declare const HOST_NODE_FLAGS: string[];
/** Environment for the host process (glibc malloc arenas); see host-node-flags.mjs. */
export declare const HOST_ENV: Record<string, string>;
/** The V8 heap limit for the host, MB (SLUICE_MAX_HEAP_MB, else 2,000); see host-node-flags.mjs. */
export declare function heapLimitMb(env?: Record<string, string | undefined>): number;
