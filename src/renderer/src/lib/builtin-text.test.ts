import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/translate.ts';
import { aliasDescription, providerLabel } from './builtin-text.ts';

const zh = translator('zh-CN');
const en = translator('en');

describe('the engine’s own words in the reader’s language', () => {
  it('words the default aliases’ descriptions, and leaves a user’s description as written', () => {
    expect(aliasDescription(zh, { name: 'fast', description: 'default: a quick, cheap model' })).toBe('默认：快速、便宜的模型');
    expect(aliasDescription(en, { name: 'smart', description: 'default: the strongest model' })).toBe('default: the strongest model');
    expect(aliasDescription(zh, { name: 'fast', description: 'our cheapest GPU box' })).toBe('our cheapest GPU box');
    // the same words on an alias of another name are the user's
    expect(aliasDescription(zh, { name: 'quick', description: 'default: a quick, cheap model' })).toBe('default: a quick, cheap model');
    expect(aliasDescription(zh, { name: 'fast' })).toBeUndefined();
  });

  it('words the built-in and detected providers’ labels, and leaves a chosen label as written', () => {
    expect(providerLabel(zh, { type: 'simulator', label: 'Simulator (built-in, no network)' })).toBe('模拟器（内置，无需联网）');
    expect(providerLabel(zh, { type: 'espeak', label: 'espeak-ng (offline, found on this machine)' })).toBe('espeak-ng（离线，在本机上找到）');
    expect(providerLabel(zh, { type: 'simulator', label: 'Test double' })).toBe('Test double');
    expect(providerLabel(zh, { type: 'openai-compatible', label: 'Simulator (built-in, no network)' })).toBe('Simulator (built-in, no network)');
    expect(providerLabel(zh, { type: 'openai-compatible', label: 'OpenAI-compatible (127.0.0.1:18777)' })).toBe('兼容 OpenAI 的服务（127.0.0.1:18777）');
    expect(providerLabel(en, { type: 'openai-compatible', label: 'OpenAI-compatible (api.deepseek.com)' })).toBe('OpenAI-compatible (api.deepseek.com)');
    expect(providerLabel(zh, { type: 'openai-compatible', label: 'Ollama (detected)' })).toBe('Ollama（自动检测到）');
    expect(providerLabel(zh, { type: 'anthropic', label: 'OpenAI-compatible (x)' })).toBe('OpenAI-compatible (x)');
  });
});
