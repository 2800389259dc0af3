// The panel words the engine's own default texts (alias descriptions, built-in provider labels) in the
// reader's language by recognising them: they must be the texts the engine really writes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/engine/config/defaults.ts';
import { PriceTable } from '../src/engine/routing/pricing.ts';
import { effectiveRouting } from '../src/engine/routing/routing-defaults.ts';
import { detectEspeak } from '../src/engine/tts/tts-feature.ts';
import { translator } from '../src/renderer/src/i18n/translate.ts';
import { aliasDescription, providerLabel } from '../src/renderer/src/lib/builtin-text.ts';
import { defaultRoutingConfig } from '../src/shared/routing.ts';

const zh = translator('zh-CN');
const han = /[\u4e00-\u9fff]/;

describe('the engine’s default words, as the panel knows them', () => {
  it('the default aliases fast and smart read in Chinese', () => {
    const providers = defaultConfig().providers;
    const aliases = effectiveRouting(defaultRoutingConfig(), providers, new PriceTable({ providers })).aliases;
    expect(aliases.map((a) => a.name)).toEqual(['fast', 'smart']);
    for (const a of aliases) expect(aliasDescription(zh, a)).toMatch(han);
  });

  it('the built-in simulator and a detected espeak-ng read in Chinese', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-espeak-'));
    writeFileSync(join(dir, 'espeak-ng'), '#!/bin/sh\n', { mode: 0o755 });
    const providers = [...defaultConfig().providers, ...detectEspeak(dir)];
    expect(providers.map((p) => p.type)).toEqual(['simulator', 'espeak']);
    for (const p of providers) expect(providerLabel(zh, { type: p.type, label: p.label ?? p.id })).toMatch(han);
  });
});
