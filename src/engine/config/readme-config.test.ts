// Every JSON config example in README.md loads as written, so the README and the validation cannot drift apart.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAlertsConfig } from '../alerts/alerts-config.ts';
import { resolveSchedulingConfig } from '../batching/scheduling-config.ts';
import { readGlobalSemantic } from '../cache/semantic/semantic-service.ts';
import { fromConfigSection } from '../routing/routing-defaults.ts';
import { routingIssues } from '../routing/validate-routing.ts';
import { readTtsConfig } from '../tts/tts-config.ts';
import { CONFIG_KEYS } from './config-keys.ts';
import { loadConfig } from './load-config.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/^```json\n([\s\S]*?)^```/gm)].map((m) => ({
  line: readme.slice(0, m.index).split('\n').length,
  json: JSON.parse(m[1]) as Record<string, unknown>,
}));
const sections = Object.keys(CONFIG_KEYS.kind === 'object' ? CONFIG_KEYS.fields : {});

/** A README example as a whole config file: a config as it is, a routing rule or budget placed where it goes. */
function asConfig(example: Record<string, unknown>): Record<string, unknown> {
  if (Object.keys(example).every((k) => sections.includes(k))) return example;
  if ('when' in example && 'action' in example) return { routing: { rules: [example] } };
  if ('scope' in example && 'onExhausted' in example) return { routing: { budgets: [example] } };
  throw new Error(`not a config, a routing rule or a budget: ${JSON.stringify(example).slice(0, 80)}`);
}

const dir = mkdtempSync(join(tmpdir(), 'sluice-readme-'));

describe('README config examples', () => {
  it('has config examples to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(7);
  });

  it.each(blocks.map((b) => [b.line, b.json] as const))('the example at README.md line %i loads', (line, example) => {
    const path = join(dir, `readme-${line}.json`);
    writeFileSync(path, JSON.stringify(asConfig(example)));
    const { config } = loadConfig({}, { configPath: path });
    // the sections the capabilities check when the engine is created
    expect(routingIssues(fromConfigSection(config.routing), config.providers)).toEqual([]);
    expect(() => resolveSchedulingConfig(config)).not.toThrow();
    expect(() => resolveAlertsConfig(config.alerts)).not.toThrow();
    expect(() => readTtsConfig(config.tts)).not.toThrow();
    expect(() => readGlobalSemantic(config.semantic)).not.toThrow();
  });
});
