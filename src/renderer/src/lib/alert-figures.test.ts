import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/translate.ts';
import { figureLabel, formatFigure, isTimeFigure, shownFigures } from './alert-figures.ts';
import { formatDateTime } from './format.ts';

describe('alert figures', () => {
  const ts = 1796256000000;

  it('shows the moments the engine sends as local dates, and other numbers as numbers', () => {
    for (const key of ['since', 'windowStart', 'resetsAt', 'openedAt']) {
      expect(isTimeFigure(key, ts), key).toBe(true);
      expect(formatFigure(key, ts, 'zh-CN'), key).toBe(formatDateTime(ts, 'zh-CN'));
    }
    expect(isTimeFigure('limit', ts)).toBe(false);
    expect(isTimeFigure('windowStart', 3600)).toBe(false);
    expect(formatFigure('limit', ts, 'en')).toBe('1796256000000');
    expect(formatFigure('value', 0.123456, 'en')).toBe('0.1235');
    expect(formatFigure('lastError', null, 'en')).toBe('—');
    expect(formatFigure('metric', 'errorRate', 'en')).toBe('errorRate');
  });

  it('labels known keys in both languages and keeps unknown ones as they are', () => {
    expect(figureLabel(translator('en'), 'windowStart')).toBe('Window start');
    expect(figureLabel(translator('zh-CN'), 'threshold')).toBe('阈值');
    expect(figureLabel(translator('en'), 'somethingNew')).toBe('somethingNew');
  });

  it("shows an HTTP error's status and the upstream's words instead of Sluice's English sentence around them", () => {
    const split = { target: 'a/m', lastError: "Upstream provider 'a' answered 500: boom", lastStatus: 500, lastUpstreamMessage: 'boom' };
    expect(shownFigures(split).map(([k]) => k)).toEqual(['target', 'lastStatus', 'lastUpstreamMessage']);
    expect(shownFigures({ target: 'a/m', lastError: 'timed out' }).map(([k]) => k)).toEqual(['target', 'lastError']);
    expect(figureLabel(translator('zh-CN'), 'lastStatus')).toBe('上游状态码');
  });

  it("words the engine's own figure values in the reader's language and keeps the rest", () => {
    const zh = translator('zh-CN');
    expect(formatFigure('level', 'exhausted', 'zh-CN', zh)).toBe('已用完');
    expect(formatFigure('reason', 'spike', 'zh-CN', zh)).toBe('突变');
    expect(formatFigure('unit', 'tokens', 'en', translator('en'))).toBe('tokens');
    expect(formatFigure('level', 'something-else', 'zh-CN', zh)).toBe('something-else');
    expect(formatFigure('client', 'exhausted', 'zh-CN', zh)).toBe('exhausted');
  });
});
