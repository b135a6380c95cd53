import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runPool } from './task-pool.js';

describe('runPool', () => {
  it('runs every item once with at most `concurrency` in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPool([5, 1, 4, 2, 3, 0, 2], 3, async (ms, i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await sleep(ms);
      seen.push(i);
      inFlight--;
    });
    expect(seen.sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(peak).toBe(3);
  });

  it('rejects with the first failure after the others settle', async () => {
    const done: number[] = [];
    const run = runPool([1, 2, 3], 2, async (n) => {
      await sleep(n);
      if (n === 1) throw new Error('one failed');
      done.push(n);
    });
    await expect(run).rejects.toThrow('one failed');
    expect(done).toContain(2);
  });

  it('accepts an empty list', async () => {
    await expect(runPool([], 4, async () => {})).resolves.toBeUndefined();
  });
});
