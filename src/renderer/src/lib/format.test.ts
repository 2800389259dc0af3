import { describe, expect, it } from 'vitest';
import { CACHE_RESULTS } from '../../../shared/targets.ts';
import { translator } from '../i18n/translate.ts';
import { cacheResultLabel, formatDuration, formatUsd } from './format.ts';

describe('formatDuration', () => {
  const s = 1000;
  it('shows the two largest units in English', () => {
    expect(formatDuration(42 * s, 'en')).toBe('42s');
    expect(formatDuration((10 * 60 + 15) * s, 'en')).toBe('10m 15s');
    expect(formatDuration((3 * 3600 + 5 * 60 + 9) * s, 'en')).toBe('3h 5m');
    expect(formatDuration((2 * 86400 + 4 * 3600) * s, 'en')).toBe('2d 4h');
  });
  it('uses Chinese units, not English letters, in Chinese', () => {
    expect(formatDuration(42 * s, 'zh-CN')).toBe('42秒');
    expect(formatDuration((10 * 60 + 15) * s, 'zh-CN')).toBe('10分钟15秒');
    expect(formatDuration((3 * 3600 + 5 * 60) * s, 'zh-CN')).toBe('3小时5分钟');
    expect(formatDuration((2 * 86400 + 4 * 3600) * s, 'zh-CN')).toBe('2天4小时');
  });
});

describe('cache results', () => {
  it('read in Chinese in zh-CN, each one its own words, and keep their names in English', () => {
    const zh = CACHE_RESULTS.map((c) => cacheResultLabel(translator('zh-CN'), c));
    expect(zh.slice(0, 3)).toEqual(['未命中', '内存命中', '磁盘命中']);
    for (const label of zh) expect(label).toMatch(/^[\u4e00-\u9fff]+$/);
    expect(new Set(zh).size).toBe(CACHE_RESULTS.length);
    expect(CACHE_RESULTS.map((c) => cacheResultLabel(translator('en'), c))).toEqual([...CACHE_RESULTS]);
    // a result this panel does not know (a newer engine) shows as it came
    expect(cacheResultLabel(translator('zh-CN'), 'hit-remote')).toBe('hit-remote');
  });
});

describe('formatUsd', () => {
  it('shows a real cost however small, and cents from a cent up', () => {
    expect(formatUsd(0)).toBe('$0');
    expect(formatUsd(0.0000049)).toBe('$0.0000049');
    expect(formatUsd(0.000123456)).toBe('$0.00012');
    expect(formatUsd(0.0049)).toBe('$0.0049');
    expect(formatUsd(0.00999)).toBe('$0.01');
    expect(formatUsd(0.5)).toBe('$0.50');
    expect(formatUsd(0.996)).toBe('$1.00');
    expect(formatUsd(1234.5)).toBe('$1234.50');
    expect(formatUsd(-0.0042)).toBe('-$0.0042');
  });

  it('writes every amount under a dollar to two significant digits, on every page alike', () => {
    // the review: the Cache page said $0.01 while the Dashboard said $0.0029 and $0.00047
    expect(formatUsd(0.0129)).toBe('$0.013');
    expect(formatUsd(0.0029)).toBe('$0.0029');
    expect(formatUsd(0.00047)).toBe('$0.00047');
    expect(formatUsd(0.138675)).toBe('$0.14');
    expect(formatUsd(0.0756, 3)).toBe('$0.0756');
  });
});
