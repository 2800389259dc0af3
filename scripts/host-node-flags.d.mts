/** Node flags for the headless host process; see host-node-flags.mjs. */
export declare const HOST_NODE_FLAGS: string[];
