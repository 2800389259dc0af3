// What the engine takes from the outside world. Tests pass a ManualClock, a silent logger,
// a temp data dir and deterministic ids; the hosts pass the real ones.
import { systemClock, type Clock } from './clock.ts';
import { timeOrderedId } from './ids.ts';
import { createLogger, type Logger } from './logger.ts';
import { plainSecrets, type SecretCodec } from './secrets.ts';

export interface EngineDeps {
  clock: Clock;
  logger: Logger;
  /** New opaque id (request ids, alert ids); the default sorts by creation time. */
  newId: () => string;
  /** Uniform [0, 1): jitter, weighted balancing, simulator noise. */
  random: () => number;
  /** Folder holding sluice.db, requests.db, cache.db and keys.json (README › Data and files). */
  dataDir: string;
  /** Seals provider keys at rest (desktop: safeStorage). */
  secrets: SecretCodec;
}

export function defaultDeps(dataDir: string, overrides: Partial<EngineDeps> = {}): EngineDeps {
  const clock = overrides.clock ?? systemClock;
  return {
    clock,
    logger: createLogger(),
    newId: () => timeOrderedId(clock.now()),
    random: Math.random,
    dataDir,
    secrets: plainSecrets,
    ...overrides,
  };
}
