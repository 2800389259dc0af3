// The capabilities this build of the engine is made of, in the order they are created.
// Migration versions of sluice.db were first given out in ranges (core 1–9, routing 20–29, metrics 30–39,
// alerts 40–49, semantic cache 50–59), but a database records only the highest version it has run, so a
// new migration must take a number above every existing one, whatever its feature (the latest: 54).
// (The disk cache keeps its own cache.db, the request log its own requests.db.)
import type { FeatureDefinition } from './feature.ts';
import { ttsFeature } from './tts/tts-feature.ts';
import { cacheFeature } from './cache/cache-feature.ts';
import { metricsFeature } from './metrics/metrics-feature.ts';
import { alertsFeature } from './alerts/alerts-feature.ts';
import { batchingFeature } from './batching/batching-feature.ts';
import { routingFeature } from './routing/routing-feature.ts';
import { semanticFeature } from './cache/semantic/semantic-feature.ts';

export const FEATURES: readonly FeatureDefinition[] = [
  cacheFeature,
  metricsFeature,
  alertsFeature,
  ttsFeature,
  batchingFeature,
  routingFeature,
  semanticFeature,
];
