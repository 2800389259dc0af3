import { describe, it, expect } from 'vitest';
import { splitSentences } from './sentence-splitter.ts';

describe('splitSentences', () => {
  it('splits Chinese at 。！？； and keeps the stop with its sentence', () => {
    expect(splitSentences('好的。我来查一下！你需要什么？首先；其次。')).toEqual(['好的。', '我来查一下！', '你需要什么？', '首先；', '其次。']);
  });

  it('splits Chinese ellipses and keeps closing quotes after the stop', () => {
    expect(splitSentences('他说：“我知道了。”然后走了……我们继续吧')).toEqual(['他说：“我知道了。”', '然后走了……', '我们继续吧']);
    expect(splitSentences('（括号里的话！）下一句。')).toEqual(['（括号里的话！）', '下一句。']);
  });

  it('splits English at . ! ? followed by a space', () => {
    expect(splitSentences('Sure! Let me check. Is that right? Yes.')).toEqual(['Sure!', 'Let me check.', 'Is that right?', 'Yes.']);
  });

  it('keeps numbers, domains and abbreviations inside their sentence', () => {
    expect(splitSentences('Pi is about 3.14 today. Visit example.com now.')).toEqual(['Pi is about 3.14 today.', 'Visit example.com now.']);
    expect(splitSentences('Dr. Smith met Mr. Jones at 5 p.m. yesterday. They talked.')).toEqual(['Dr. Smith met Mr. Jones at 5 p.m. yesterday.', 'They talked.']);
    expect(splitSentences('Use fruit, e.g. apples, i.e. the red ones. Done.')).toEqual(['Use fruit, e.g. apples, i.e. the red ones.', 'Done.']);
    expect(splitSentences('She moved to the U.S. last year. Nice.')).toEqual(['She moved to the U.S. last year.', 'Nice.']);
    expect(splitSentences('J. R. R. Tolkien wrote it. Really.')).toEqual(['J. R. R. Tolkien wrote it.', 'Really.']);
  });

  it('keeps quotes and brackets after a Western stop with their sentence', () => {
    expect(splitSentences('He said "stop." Then he left. (It was late.) The end.')).toEqual(['He said "stop."', 'Then he left.', '(It was late.)', 'The end.']);
  });

  it('treats an ellipsis before a capital as an end, before lower case as a pause', () => {
    expect(splitSentences('Well... maybe not. Hmm... Okay then.')).toEqual(['Well... maybe not.', 'Hmm...', 'Okay then.']);
    expect(splitSentences('Wait… What?')).toEqual(['Wait…', 'What?']);
  });

  it('breaks at newlines even without punctuation, and drops blank lines', () => {
    expect(splitSentences('First line\n\nSecond line\r\nThird. Fourth')).toEqual(['First line', 'Second line', 'Third.', 'Fourth']);
  });

  it('splits mixed Chinese and English', () => {
    expect(splitSentences('好的。Sure! 我们开始吧。OK?')).toEqual(['好的。', 'Sure!', '我们开始吧。', 'OK?']);
  });

  it('cuts an overlong sentence at a comma or space', () => {
    const long = `${'word '.repeat(30)}and, ${'more '.repeat(30)}end.`;
    const parts = splitSentences(long, { maxChars: 100 });
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(100);
    expect(parts.join(' ').replace(/\s+/g, ' ')).toBe(long.trim().replace(/\s+/g, ' '));
  });

  it('loses no text (whitespace aside) and returns nothing for blank input', () => {
    const text = ' Hello.  World!?\n好的。“嗯。”  Yes... no. 3.5 km. ';
    expect(splitSentences(text).join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    expect(splitSentences('   \n ')).toEqual([]);
  });
});
