import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/translate.ts';
import { jsonSyntaxError, jsonWhereText, parseJson } from './json-syntax.ts';

describe('where typed JSON stops being JSON', () => {
  it('parses what is JSON', () => {
    expect(parseJson('{"model": "fast", "n": [1, 2.5e3, true, null, "a\\u00e9\\n"]}')).toEqual({ ok: true, value: { model: 'fast', n: [1, 2500, true, null, 'aé\n'] } });
  });

  it('points at the first character that cannot be read, by line and column', () => {
    const cases: Array<[string, number, number]> = [
      ['{"model": "fast",, "x": 1}', 1, 18],
      ['{\n  "model": "fast",\n  "messages": [\n    {"role": "user" "content": "hi"}\n  ]\n}', 4, 21],
      ["{'model': 'fast'}", 1, 2],
      ['{"model": "fast"} x', 1, 19],
      ['{"model": "fast",\n}', 2, 1],
      ['[1, 2,]', 1, 7],
      ['{"n": 01}', 1, 8],
      ['{"n": -}', 1, 8],
      ['{"n": 1.}', 1, 9],
      ['{"ok": tru}', 1, 11],
      ['{"s": "bad \\x escape"}', 1, 13],
      ['{"s": "tab\there"}', 1, 11],
      ['{"s": "\\u12G4"}', 1, 9],
    ];
    for (const [text, line, column] of cases) expect(jsonSyntaxError(text), text).toEqual({ kind: 'at', line, column });
  });

  it('says when it stops before it is complete', () => {
    for (const text of ['', '   ', '{"model": "fast", "messages": [', '{"model": "fa', '{"a": 1', '[1, 2', '{"ok": tr']) {
      expect(jsonSyntaxError(text), text).toEqual({ kind: 'end' });
    }
  });

  it('gives up rather than guess on text nested too deep to read again', () => {
    expect(jsonSyntaxError(`${'['.repeat(5000)}x`)).toEqual({ kind: 'unknown' });
  });

  it('words the place in the reader’s language, never the browser’s English', () => {
    const at = parseJson('{"model": "fast",, "x": 1}');
    expect(at.ok).toBe(false);
    if (at.ok) return;
    expect(jsonWhereText(translator('en'), at.error)).toBe('line 1, column 18');
    expect(jsonWhereText(translator('zh-CN'), at.error)).toBe('第 1 行第 18 列有误');
    expect(translator('zh-CN')('routing.explain.bad', { where: jsonWhereText(translator('zh-CN'), { kind: 'end' }) })).toBe('请求体不是有效的 JSON：内容不完整，提前结束了。');
  });
});
