import { describe, expect, it } from 'vitest';
import { createProgressBar, formatDuration } from './progress-bar.js';

function recorder(isTTY: boolean) {
  const out: string[] = [];
  return { out, stream: { isTTY, columns: 200, write: (t: string) => out.push(t) } };
}

describe('createProgressBar', () => {
  it('draws the fraction, rate and time left on a terminal', () => {
    let t = 0;
    const { out, stream } = recorder(true);
    const bar = createProgressBar('extract', { stream, width: 10, now: () => t });
    t = 10_000;
    bar.update(25, 100, 'sketches');
    expect(out.at(-1)).toContain('extract [###.......] 25/100 25% 2.5/s 30s left sketches');
    t = 40_000;
    bar.finish();
    expect(out.at(-1)).toBe('\rextract done: 25/100 in 40s sketches\x1b[K\n');
  });

  it('prints plain lines at most once per interval when not on a terminal', () => {
    let t = 0;
    const { out, stream } = recorder(false);
    const bar = createProgressBar('train', { stream, lineInterval: 1000, now: () => t });
    bar.update(1, 10);
    bar.update(2, 10);
    t = 1500;
    bar.update(3, 10);
    expect(out).toHaveLength(2);
    expect(out.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
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
