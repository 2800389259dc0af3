import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { BreakerRegistry, type BreakerOutage, type BreakerPass } from './circuit-breaker.ts';

function setup(over: { failureThreshold?: number; windowMs?: number; cooldownMs?: number } = {}) {
  const clock = new ManualClock();
  const changes: string[] = [];
  const breakers = new BreakerRegistry({
    clock, failureThreshold: 3, windowMs: 10_000, cooldownMs: 5_000, ...over,
    onStateChange: (t, s, prev) => changes.push(`${t}:${prev}->${s}`),
  });
  /** A call that is let through (fails the test if refused). */
  const start = (target = 'a/m'): BreakerPass => {
    const pass = breakers.tryAcquire(target);
    if (!pass) throw new Error(`${target}: refused by its breaker`);
    return pass;
  };
  const fail = (target = 'a/m') => breakers.onFailure(start(target));
  const succeed = (target = 'a/m') => breakers.onSuccess(start(target));
  return { clock, changes, breakers, start, fail, succeed };
}

describe('BreakerRegistry: when a closed breaker opens', () => {
  it('opens after N failures in a row within the window, per target', () => {
    const { breakers, changes, fail } = setup();
    fail();
    fail();
    expect(breakers.state('a/m')).toBe('closed');
    expect(breakers.tryAcquire('a/m')).not.toBeNull();
    fail();
    expect(breakers.state('a/m')).toBe('open');
    expect(breakers.isOpen('a/m')).toBe(true);
    expect(breakers.tryAcquire('a/m')).toBeNull();
    expect(breakers.state('b/m')).toBe('closed');
    expect(changes).toEqual(['a/m:closed->open']);
  });

  it('forgets failures older than the window', () => {
    const { breakers, clock, fail } = setup();
    fail();
    fail();
    clock.advance(10_001);
    fail();
    expect(breakers.state('a/m')).toBe('closed');
  });

  it('opens on a burst of failures in a row even after a long run of successes', () => {
    const { breakers, clock, fail, succeed } = setup();
    for (let i = 0; i < 500; i++) { succeed(); clock.advance(10); }
    fail();
    fail();
    fail();
    expect(breakers.state('a/m')).toBe('open');
  });

  it('opens at a steady 30 % failure rate, where no success resets the count', () => {
    const { breakers, clock, fail, succeed } = setup();
    // succeed, succeed, fail, … : never two failures in a row, 1 in 3 calls failing
    let calls = 0;
    while (breakers.state('a/m') === 'closed' && calls < 30) {
      if (++calls % 3 === 0) fail(); else succeed();
      clock.advance(100);
    }
    expect(breakers.state('a/m')).toBe('open');
    expect(calls).toBe(9); // at the third failure, the threshold
  });

  it('stays closed on a healthy upstream\'s occasional errors, however many calls it serves', () => {
    const { breakers, clock, fail, succeed } = setup();
    // 2 % of 5,000 calls over 50 s: a hundred failures, a dozen or more within each 10 s window
    for (let i = 0; i < 5_000; i++) {
      if (i % 50 === 25) fail(); else succeed();
      clock.advance(10);
    }
    expect(breakers.state('a/m')).toBe('closed');
    expect(breakers.snapshot()[0]).toMatchObject({ state: 'closed', failures: expect.any(Number) });
    expect(breakers.snapshot()[0].failures).toBeGreaterThanOrEqual(3);
  });
});

describe('BreakerRegistry: an open breaker', () => {
  it('lets one probe through after the cool-down; its success closes it', () => {
    const { breakers, clock, changes, fail } = setup();
    for (let i = 0; i < 3; i++) fail();
    clock.advance(4_999);
    expect(breakers.tryAcquire('a/m')).toBeNull();
    clock.advance(1);
    expect(breakers.state('a/m')).toBe('half-open');
    expect(breakers.isOpen('a/m')).toBe(false);
    const probe = breakers.tryAcquire('a/m');
    expect(probe).not.toBeNull();
    expect(breakers.tryAcquire('a/m')).toBeNull(); // only one probe at a time
    breakers.onSuccess(probe!);
    expect(breakers.state('a/m')).toBe('closed');
    expect(changes).toEqual(['a/m:closed->open', 'a/m:open->half-open', 'a/m:half-open->closed']);
  });

  it('stays open for its cool-down when a call begun before it opened succeeds (the slow in-flight request)', () => {
    const { breakers, clock, changes, start, fail } = setup({ cooldownMs: 15_000 });
    const slow = start(); // e.g. a 2 s request, still on its way when the quick ones fail
    for (let i = 0; i < 3; i++) fail();
    expect(breakers.state('a/m')).toBe('open');
    const probeAt = breakers.snapshot()[0].probeAt;
    clock.advance(2_000);
    breakers.onSuccess(slow);
    expect(breakers.state('a/m')).toBe('open');
    expect(breakers.tryAcquire('a/m')).toBeNull();
    expect(breakers.snapshot()[0]).toMatchObject({ state: 'open', probeAt });
    // calls still under way that fail do not push the probe back either
    const straggler = breakers.acquireAnyway('a/m');
    breakers.onFailure(straggler);
    expect(breakers.snapshot()[0]).toMatchObject({ state: 'open', probeAt, failures: 4 });
    clock.advance(13_000);
    const probe = start();
    breakers.onSuccess(probe);
    expect(breakers.state('a/m')).toBe('closed');
    expect(changes).toEqual(['a/m:closed->open', 'a/m:open->half-open', 'a/m:half-open->closed']);
  });

  it('is not closed by calls made in spite of it (no other target) nor by the old calls while the probe is out', () => {
    const { breakers, clock, start, fail } = setup();
    const old = start();
    for (let i = 0; i < 3; i++) fail();
    breakers.onSuccess(breakers.acquireAnyway('a/m'));
    expect(breakers.state('a/m')).toBe('open');
    clock.advance(5_000);
    const probe = start();
    breakers.onSuccess(old);
    breakers.onSuccess(breakers.acquireAnyway('a/m'));
    expect(breakers.state('a/m')).toBe('half-open');
    breakers.onSuccess(probe);
    expect(breakers.state('a/m')).toBe('closed');
  });

  it('reopens for another cool-down when the probe fails', () => {
    const { breakers, clock, start, fail } = setup();
    for (let i = 0; i < 3; i++) fail();
    clock.advance(5_000);
    breakers.onFailure(start());
    expect(breakers.state('a/m')).toBe('open');
    clock.advance(4_000);
    expect(breakers.tryAcquire('a/m')).toBeNull();
    clock.advance(1_000);
    expect(breakers.tryAcquire('a/m')).not.toBeNull();
  });

  it('counts afresh once closed: a failure of a call begun before it closed does not count', () => {
    const { breakers, clock, start, fail } = setup();
    const old = [start(), start(), start()];
    for (let i = 0; i < 3; i++) fail();
    clock.advance(5_000);
    breakers.onSuccess(start());
    for (const p of old) breakers.onFailure(p);
    expect(breakers.state('a/m')).toBe('closed');
    fail();
    fail();
    expect(breakers.state('a/m')).toBe('closed');
  });

  it('a released probe lets another through, a released ordinary call does not', () => {
    const { breakers, clock, start, fail } = setup();
    for (let i = 0; i < 3; i++) fail();
    clock.advance(5_000);
    const probe = start();
    breakers.release(breakers.acquireAnyway('a/m'));
    expect(breakers.tryAcquire('a/m')).toBeNull();
    breakers.release(probe);
    expect(breakers.tryAcquire('a/m')).not.toBeNull();
  });
});

describe('BreakerRegistry: what an opening reports', () => {
  it('gives the outage\'s failures and the last error with each opening', () => {
    const clock = new ManualClock();
    const openings: unknown[] = [];
    const breakers = new BreakerRegistry({
      clock, failureThreshold: 3, windowMs: 10_000, cooldownMs: 5_000,
      onStateChange: (t, s, _prev, outage) => { if (s === 'open') openings.push({ t, outage }); },
    });
    const old = breakers.tryAcquire('a/m')!;
    breakers.onFailure(breakers.tryAcquire('a/m')!, { text: 'answered 502: bad gateway', status: 502, upstreamMessage: 'bad gateway' });
    breakers.onFailure(breakers.tryAcquire('a/m')!);
    breakers.onFailure(breakers.tryAcquire('a/m')!, { text: 'answered 500: boom', status: 500, upstreamMessage: 'boom' });
    breakers.onFailure(old, { text: 'x'.repeat(2_000) }); // already under way: counted for the outage, decides nothing
    clock.advance(5_000);
    breakers.onFailure(breakers.tryAcquire('a/m')!, { text: 'timed out' }); // the probe
    expect(openings).toEqual([
      { t: 'a/m', outage: { failures: 3, lastError: 'answered 500: boom', lastStatus: 500, lastUpstreamMessage: 'boom' } },
      // an error that is not an HTTP answer has no status nor upstream message
      { t: 'a/m', outage: { failures: 5, lastError: 'timed out', lastStatus: null, lastUpstreamMessage: null } },
    ]);
    breakers.onFailure(breakers.acquireAnyway('a/m'), { text: 'y'.repeat(2_000), status: 500, upstreamMessage: 'z'.repeat(2_000) });
    clock.advance(5_000);
    breakers.onFailure(breakers.tryAcquire('a/m')!);
    const third = (openings[2] as { outage: BreakerOutage }).outage;
    expect([third.lastError?.length, third.lastUpstreamMessage?.length]).toEqual([500, 500]);
  });
});

describe('BreakerRegistry: reading and resetting', () => {
  it('gives probeAt as a whole ms, with the monotonic clock in fractions as performance.now() has them', () => {
    const clock = new ManualClock();
    let mono = 1.428;
    const fractional = { now: () => clock.now(), monotonic: () => mono, setTimeout: clock.setTimeout.bind(clock), clearTimeout: clock.clearTimeout.bind(clock) };
    const breakers = new BreakerRegistry({ clock: fractional, failureThreshold: 1, windowMs: 10_000, cooldownMs: 5_000 });
    breakers.onFailure(breakers.tryAcquire('a/m')!);
    // read 0.7 ms later by the monotonic clock, within the same wall-clock ms
    mono += 0.7;
    const { probeAt } = breakers.snapshot()[0];
    expect(Number.isInteger(probeAt)).toBe(true);
    expect(probeAt).toBe(clock.now() + 5_000);
  });

  it('snapshots list targets that failed, and reset closes them', () => {
    const { breakers, clock, changes, fail, succeed } = setup();
    succeed('b/m');
    for (let i = 0; i < 3; i++) fail();
    expect(breakers.snapshot()).toEqual([
      { target: 'a/m', state: 'open', failures: 3, openedAt: clock.now(), probeAt: clock.now() + 5_000 },
    ]);
    breakers.reset();
    expect(breakers.state('a/m')).toBe('closed');
    expect(breakers.snapshot()).toEqual([]);
    expect(changes).toEqual(['a/m:closed->open', 'a/m:open->closed']);
  });

  it('refuses bad options', () => {
    expect(() => new BreakerRegistry({ clock: new ManualClock(), failureThreshold: 0, windowMs: 1, cooldownMs: 1 })).toThrow(/failureThreshold/);
    expect(() => new BreakerRegistry({ clock: new ManualClock(), failureThreshold: 1, windowMs: 0, cooldownMs: 1 })).toThrow(/windowMs/);
  });
});
