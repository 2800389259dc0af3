import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { BreakerRegistry } from './circuit-breaker.ts';

function setup() {
  const clock = new ManualClock();
  const changes: string[] = [];
  const breakers = new BreakerRegistry({
    clock, failureThreshold: 3, windowMs: 10_000, cooldownMs: 5_000,
    onStateChange: (t, s, prev) => changes.push(`${t}:${prev}->${s}`),
  });
  return { clock, changes, breakers };
}

describe('BreakerRegistry', () => {
  it('opens after N failures within the window, per target', () => {
    const { breakers, changes } = setup();
    breakers.onFailure('a/m');
    breakers.onFailure('a/m');
    expect(breakers.state('a/m')).toBe('closed');
    expect(breakers.tryAcquire('a/m')).toBe(true);
    breakers.onFailure('a/m');
    expect(breakers.state('a/m')).toBe('open');
    expect(breakers.isOpen('a/m')).toBe(true);
    expect(breakers.tryAcquire('a/m')).toBe(false);
    expect(breakers.state('b/m')).toBe('closed');
    expect(changes).toEqual(['a/m:closed->open']);
  });

  it('forgets failures older than the window', () => {
    const { breakers, clock } = setup();
    breakers.onFailure('a/m');
    breakers.onFailure('a/m');
    clock.advance(10_001);
    breakers.onFailure('a/m');
    expect(breakers.state('a/m')).toBe('closed');
  });

  it('lets one probe through after the cool-down; success closes it', () => {
    const { breakers, clock, changes } = setup();
    for (let i = 0; i < 3; i++) breakers.onFailure('a/m');
    clock.advance(4_999);
    expect(breakers.tryAcquire('a/m')).toBe(false);
    clock.advance(1);
    expect(breakers.state('a/m')).toBe('half-open');
    expect(breakers.isOpen('a/m')).toBe(false);
    expect(breakers.tryAcquire('a/m')).toBe(true);
    expect(breakers.tryAcquire('a/m')).toBe(false); // only one probe at a time
    breakers.onSuccess('a/m');
    expect(breakers.state('a/m')).toBe('closed');
    expect(changes).toEqual(['a/m:closed->open', 'a/m:open->half-open', 'a/m:half-open->closed']);
  });

  it('reopens for another cool-down when the probe fails', () => {
    const { breakers, clock } = setup();
    for (let i = 0; i < 3; i++) breakers.onFailure('a/m');
    clock.advance(5_000);
    expect(breakers.tryAcquire('a/m')).toBe(true);
    breakers.onFailure('a/m');
    expect(breakers.state('a/m')).toBe('open');
    clock.advance(4_000);
    expect(breakers.tryAcquire('a/m')).toBe(false);
    clock.advance(1_000);
    expect(breakers.tryAcquire('a/m')).toBe(true);
  });

  it('released probes let another through; snapshot and reset report state', () => {
    const { breakers, clock } = setup();
    for (let i = 0; i < 3; i++) breakers.onFailure('a/m');
    const snap = breakers.snapshot()[0];
    expect(snap).toMatchObject({ target: 'a/m', state: 'open', openedAt: clock.now(), probeAt: clock.now() + 5_000 });
    clock.advance(5_000);
    breakers.tryAcquire('a/m');
    breakers.release('a/m');
    expect(breakers.tryAcquire('a/m')).toBe(true);
    breakers.reset();
    expect(breakers.state('a/m')).toBe('closed');
  });

  it('refuses bad options', () => {
    expect(() => new BreakerRegistry({ clock: new ManualClock(), failureThreshold: 0, windowMs: 1, cooldownMs: 1 })).toThrow(/failureThreshold/);
  });
});
