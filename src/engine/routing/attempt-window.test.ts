import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { AttemptWindow } from './attempt-window.ts';

describe('AttemptWindow', () => {
  it('counts recent attempts and failures per provider', () => {
    const w = new AttemptWindow({ clock: new ManualClock() });
    w.record('a', true);
    w.record('a', false);
    w.record('b', false);
    expect(w.stats('a')).toEqual({ attempts: 2, errors: 1 });
    expect(w.stats('b')).toEqual({ attempts: 1, errors: 0 });
    expect(w.stats('c')).toEqual({ attempts: 0, errors: 0 });
  });

  it('keeps only the last N outcomes, and forgets those older than the window', () => {
    const clock = new ManualClock();
    const w = new AttemptWindow({ clock, size: 3, windowMs: 1_000 });
    for (let i = 0; i < 5; i++) w.record('a', i < 2);
    expect(w.stats('a')).toEqual({ attempts: 3, errors: 0 });
    clock.advance(600);
    w.record('a', true);
    clock.advance(600);
    expect(w.stats('a')).toEqual({ attempts: 1, errors: 1 });
  });

  it('rejects bad options', () => {
    expect(() => new AttemptWindow({ clock: new ManualClock(), size: 0 })).toThrow(/size/);
    expect(() => new AttemptWindow({ clock: new ManualClock(), windowMs: 0 })).toThrow(/windowMs/);
  });
});
