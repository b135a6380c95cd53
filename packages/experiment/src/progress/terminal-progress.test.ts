import { describe, expect, it } from 'vitest';
import { formatDuration, terminalProgress } from './terminal-progress.js';

function recorder(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, columns: 200, write: (t: string) => out.push(t) } };
}

describe('terminalProgress', () => {
  it('draws a bar per task on a terminal, with the count and the status', async () => {
    const { out, stream } = recorder(true);
    const progress = terminalProgress(stream);
    progress.onProgress({ task: 'features sketch', done: 25, total: 100, status: '(cached)' });
    // Bars are redrawn on a timer, at most 10 times a second.
    await new Promise((resolve) => setTimeout(resolve, 250));
    progress.onProgress({ task: 'features sketch', done: 100, total: 100, status: '(cached)' });
    const drawn = out.join('');
    expect(drawn).toContain('features sketch [');
    expect(drawn).toContain('25/100 25%');
    expect(drawn).toMatch(/\[#{7}\.{21}\]/);
    // Ended, the bar becomes the line a log would show.
    expect(drawn).toMatch(/features sketch done: 100\/100 in \d+s \(cached\)/);
    progress.stop();
  });

  it('prints a line when a task starts, at most one per interval, and one when it ends', () => {
    let t = 0;
    const { out, stream } = recorder(false);
    const progress = terminalProgress(stream, { lineInterval: 1000, now: () => t });
    progress.onProgress({ task: 'train m', done: 0, total: 10 });
    for (let step = 1; step <= 4; step++) {
      t = step * 400;
      progress.onProgress({ task: 'train m', done: step, total: 10, status: `step ${step}` });
    }
    t = 5000;
    progress.onProgress({
      task: 'train m',
      done: 6,
      total: 10,
      status: 'early stop',
      finished: true,
    });
    expect(out).toEqual([
      'train m 0/10 0% 0.0/s ? left\n',
      'train m 3/10 30% 2.5/s 3s left step 3\n',
      'train m done: 6/10 in 5s early stop\n',
    ]);
  });

  it('ends a task whose count reaches the total, unless told that a last event follows', () => {
    const { out, stream } = recorder(false);
    const progress = terminalProgress(stream, { now: () => 0 });
    progress.onProgress({ task: 'build qd-emoji', done: 3, total: 3 });
    expect(out).toEqual(['build qd-emoji done: 3/3 in 0s\n']);
    progress.onProgress({ task: 'train m', done: 1, total: 2, finished: false });
    progress.onProgress({ task: 'train m', done: 2, total: 2, finished: false });
    progress.onProgress({ task: 'train m', done: 2, total: 2, finished: true, status: 'epochs' });
    expect(out.slice(1)).toEqual([
      'train m 1/2 50% 0.0/s ? left\n',
      'train m done: 2/2 in 0s epochs\n',
    ]);
  });
});

describe('formatDuration', () => {
  it('formats seconds, minutes and hours', () => {
    expect([
      formatDuration(42.4),
      formatDuration(185),
      formatDuration(3725),
      formatDuration(Number.NaN),
    ]).toEqual(['42s', '3m05s', '1h02m', '?']);
  });
});
