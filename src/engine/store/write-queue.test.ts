import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { silentLogger } from '../logger.ts';
import { WriteQueue } from './write-queue.ts';

describe('WriteQueue', () => {
  it('writes queued rows in one batch after the interval, or at once when the batch is full', () => {
    const clock = new ManualClock();
    const batches: number[][] = [];
    const q = new WriteQueue<number>({ clock, logger: silentLogger, name: 't', intervalMs: 100, maxRows: 3, write: (rows) => batches.push(rows) });
    q.push(1);
    q.push(2);
    expect(batches).toEqual([]);
    clock.advance(100);
    expect(batches).toEqual([[1, 2]]);
    q.push(3); q.push(4); q.push(5);
    expect(batches).toEqual([[1, 2], [3, 4, 5]]);
  });

  it('keeps rows while writes fail, retries, and drops the oldest past the backlog bound', () => {
    const clock = new ManualClock();
    let failing = true;
    const written: number[] = [];
    const errors: unknown[] = [];
    const q = new WriteQueue<number>({
      clock, logger: silentLogger, name: 't', intervalMs: 10, maxRows: 100, maxBacklog: 5,
      write: (rows) => { if (failing) throw new Error('disk full'); written.push(...rows); },
      onError: (e) => errors.push(e),
    });
    for (let i = 0; i < 8; i++) q.push(i);
    clock.advance(10);
    expect(q.failing).toBe(true);
    expect(errors).toHaveLength(1);
    expect(q.dropped).toBe(3);
    failing = false;
    clock.advance(10);
    expect(written).toEqual([3, 4, 5, 6, 7]);
    expect(q.failing).toBe(false);
  });

  it('tells its owner once when writes recover after failing', () => {
    const clock = new ManualClock();
    let failing = true;
    let recovered = 0;
    const q = new WriteQueue<number>({
      clock, logger: silentLogger, name: 't', intervalMs: 10, maxRows: 100,
      write: () => { if (failing) throw new Error('disk full'); },
      onRecover: () => { recovered++; },
    });
    q.push(1);
    clock.advance(10);
    clock.advance(10);
    expect(recovered).toBe(0);
    failing = false;
    clock.advance(10);
    expect(recovered).toBe(1);
    q.push(2);
    clock.advance(10);
    expect(recovered).toBe(1);
  });
});
