import { describe, it, expect } from 'vitest';
import { foldText, normalizeText, textRuns, wordSet } from './text-normalizer.ts';

describe('normalizeText', () => {
  it('folds case, punctuation and contractions so rewordings compare equal', () => {
    expect(normalizeText("What's machine learning?")).toBe('what is machine learning');
    expect(normalizeText('WHAT IS   machine learning!!')).toBe('what is machine learning');
    expect(normalizeText("Why doesn’t it work?")).toBe('why does not it work');
    expect(normalizeText("I can't")).toBe('i can not');
  });

  it('turns full-width characters into ASCII and drops Chinese punctuation', () => {
    expect(normalizeText('ＰＹＴＨＯＮ是什么？')).toBe('python是什么');
  });

  it('keeps tokens that carry meaning in code and versions', () => {
    expect(normalizeText('Node.js vs C++ and C#, v3.11')).toBe('node.js vs c++ and c# v3.11');
    expect(normalizeText('object-oriented')).toBe('object oriented');
  });

  it('foldText keeps punctuation but expands contractions', () => {
    expect(foldText("Isn't it?")).toBe('is not it?');
  });
});

describe('textRuns', () => {
  it('splits Latin words from runs of Han characters', () => {
    expect(textRuns(normalizeText('如何学习Python 编程'))).toEqual([
      { kind: 'han', text: '如何学习' }, { kind: 'word', text: 'python' }, { kind: 'han', text: '编程' },
    ]);
  });

  it('wordSet gives the normalised tokens of a text', () => {
    expect(wordSet('What is Python?').has('python')).toBe(true);
  });
});
