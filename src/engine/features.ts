// The capabilities this build of the engine is made of, in the order they are created.
// Migration version ranges: core 1–9, routing 20–29, metrics 30–39, alerts 40–49,
// semantic cache 50–59, batching 60–69, speech 70–79. (The disk cache keeps its own cache.db.)
import type { FeatureDefinition } from './feature.ts';

export const FEATURES: readonly FeatureDefinition[] = [
];
