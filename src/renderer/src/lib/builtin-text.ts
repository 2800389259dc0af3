// Words the engine writes by itself, in English — the descriptions of the default aliases it adds
// (src/engine/routing/routing-defaults.ts) and the labels of the providers it brings or finds on the
// machine (the simulator, espeak-ng) — worded in the reader's language. Only while they are still the
// engine's own text: a description or label the user wrote stays as written.
import type { MessageKey } from '../i18n/en.ts';
import type { Translate } from '../i18n/translate.ts';

const ALIAS_DESCRIPTIONS: Record<string, { text: string; key: MessageKey }> = {
  fast: { text: 'default: a quick, cheap model', key: 'routing.alias.default.fast' },
  smart: { text: 'default: the strongest model', key: 'routing.alias.default.smart' },
};

const PROVIDER_LABELS: Record<string, { text: string; key: MessageKey }> = {
  simulator: { text: 'Simulator (built-in, no network)', key: 'set.providers.label.simulator' },
  espeak: { text: 'espeak-ng (offline, found on this machine)', key: 'set.providers.label.espeak' },
};

/** An alias's description; the engine's default one for `fast` and `smart` in the reader's language. */
export function aliasDescription(t: Translate, alias: { name: string; description?: string }): string | undefined {
  const known = ALIAS_DESCRIPTIONS[alias.name];
  return known && alias.description === known.text ? t(known.key) : alias.description;
}

/** True when a provider's label is the one the engine gives its built-in or detected provider of that type. */
export function isEngineLabel(p: { type: string; label: string }): boolean {
  return PROVIDER_LABELS[p.type]?.text === p.label;
}

/** The labels the engine gives OpenAI-compatible servers it takes from the environment or finds running. */
const FOUND_LABELS: Array<{ re: RegExp; key: MessageKey }> = [
  { re: /^OpenAI-compatible \((.+)\)$/, key: 'set.providers.label.env' },
  { re: /^(Ollama|LM Studio) \(detected\)$/, key: 'set.providers.label.detected' },
];

/** A provider's label; the engine's own (built-in, from the environment, detected) in the reader's language. */
export function providerLabel(t: Translate, p: { type: string; label: string }): string {
  if (isEngineLabel(p)) return t(PROVIDER_LABELS[p.type].key);
  if (p.type === 'openai-compatible') {
    for (const { re, key } of FOUND_LABELS) {
      const m = re.exec(p.label);
      if (m) return t(key, { name: m[1] });
    }
  }
  return p.label;
}
