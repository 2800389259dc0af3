import { describe, expect, it } from 'vitest';
import { compileGlob, globMatch } from './glob.ts';

describe('globMatch', () => {
  it.each([
    ['gpt-4o', 'gpt-4o', true],
    ['gpt-4o', 'gpt-4o-mini', false],
    ['gpt-4o*', 'gpt-4o-mini', true],
    ['gpt-4o*', 'gpt-4.1', false],
    ['*-mini', 'o4-mini', true],
    ['*-mini', 'o4-mini-high', false],
    ['claude-?-*', 'claude-3-haiku', true],
    ['claude-?-*', 'claude-sonnet-4', false],
    ['*', '', true],
    ['a.b', 'axb', false],
    ['deepseek/*', 'deepseek/deepseek-chat', true],
    ['*4o*', 'gpt-4o-mini', true],
    ['(x)+', '(x)+', true],
  ])('%s vs %s → %s', (pattern, s, expected) => {
    expect(globMatch(pattern, s)).toBe(expected);
    expect(compileGlob(pattern)(s)).toBe(expected);
  });
});
