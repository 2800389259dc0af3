import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser.ts';

describe('SseParser', () => {
  it('parses events split across arbitrary chunk boundaries, ignoring comments', () => {
    const text = ': sluice\n\nevent: request\ndata: {"a":1}\n\n: keep-alive\n\nevent: engine\r\ndata: {"b":\r\ndata: 2}\r\n\r\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const p = new SseParser();
      const out = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      expect(out).toEqual([
        { event: 'request', data: '{"a":1}', id: null },
        { event: 'engine', data: '{"b":\n2}', id: null },
      ]);
    }
  });

  it('does not emit an event before its blank line arrives', () => {
    const p = new SseParser();
    expect(p.push('event: x\ndata: 1\n')).toEqual([]);
    expect(p.push('\n')).toEqual([{ event: 'x', data: '1', id: null }]);
  });
});
