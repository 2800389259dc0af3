import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/translate.ts';
import { TIMING_KEYS, timingLabel } from './request-timings.ts';

describe('timing labels', () => {
  it('labels the engine timings in both languages and keeps unknown keys as they are', () => {
    expect(TIMING_KEYS.map((k) => timingLabel(translator('en'), k))).toEqual(['Queue', 'Upstream', 'First byte', 'Total']);
    expect(TIMING_KEYS.map((k) => timingLabel(translator('zh-CN'), k))).toEqual(['排队', '上游', '首字节', '总计']);
    expect(timingLabel(translator('zh-CN'), 'retryMs')).toBe('retryMs');
  });
});
