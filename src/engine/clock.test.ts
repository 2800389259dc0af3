import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.ts';

describe('ManualClock', () => {
  it('fires timers in time order as it advances, and moves both clocks', () => {
    const clock = new ManualClock(1_000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 200);
    clock.setTimeout(() => fired.push('a'), 100);
    const c = clock.setTimeout(() => fired.push('c'), 150);
    clock.clearTimeout(c);
    clock.advance(150);
    expect(fired).toEqual(['a']);
    clock.advance(100);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.now()).toBe(1_250);
    expect(clock.monotonic()).toBe(250);
  });

  it('fires a timer set by a firing timer when it falls within the same advance', () => {
    const clock = new ManualClock(0);
    const at: number[] = [];
    clock.setTimeout(() => { at.push(clock.now()); clock.setTimeout(() => at.push(clock.now()), 50); }, 50);
    clock.advance(100);
    expect(at).toEqual([50, 100]);
  });
});
