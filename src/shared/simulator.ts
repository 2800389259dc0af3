// The built-in simulator's models, by the endpoint each serves: the engine's adapter answers them,
// the panel offers them (the load-test form moves a simulator model along when its endpoint changes).
import type { Endpoint } from './targets.ts';

export const SIMULATOR_MODELS = {
  chat: ['sim-chat', 'sim-fast', 'sim-reasoner'],
  embeddings: ['sim-embed'],
  speech: ['sim-tts'],
} as const satisfies Record<Endpoint, readonly string[]>;
