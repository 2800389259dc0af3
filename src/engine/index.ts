// The engine's public entry: hosts (CLI, Electron main) and tests use only this.
import type { SluiceConfig } from '../shared/config.ts';
import type { EngineDeps } from './deps.ts';
import { Engine, type EngineOptions } from './engine.ts';

export { Engine, type EngineOptions } from './engine.ts';
export { defaultDeps, type EngineDeps } from './deps.ts';
export { loadConfig, type ConfigOverrides } from './config/load-config.ts';
export { defaultConfig } from './config/defaults.ts';
export { createLogger, silentLogger } from './logger.ts';
export { ManualClock, systemClock } from './clock.ts';

export function createEngine(config: SluiceConfig, deps: EngineDeps, opts: Omit<EngineOptions, 'config' | 'deps'> = {}): Engine {
  return new Engine({ ...opts, config, deps });
}
