import { describe, expect, it } from 'vitest';
import { meanStd, perRunChecks, statsTable, summaryStats } from './summary-stats.mjs';

const summary = (rows) => ({
  rows: Object.entries(rows).map(([method, mAPAll]) => ({ method, mAPAll })),
});

describe('summary-stats', () => {
  it('computes mean and sample std by hand: 0.1, 0.2, 0.3 -> 0.2 ± 0.1', () => {
    expect(meanStd([0.1, 0.2, 0.3]).mean).toBeCloseTo(0.2, 12);
    expect(meanStd([0.1, 0.2, 0.3]).std).toBeCloseTo(0.1, 12);
    // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample variance 32 / 7.
    const { mean, std } = meanStd([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(mean).toBe(5);
    expect(std).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(meanStd([0.5])).toEqual({ mean: 0.5, std: 0 });
  });

  it('aggregates each method over the runs and checks wad-cmsn per run', () => {
    const runs = [
      summary({ backbone: 0.1, centred: 0.12, 'wad-cmsn': 0.15 }),
      summary({ backbone: 0.1, centred: 0.14, 'wad-cmsn': 0.13 }),
      summary({ backbone: 0.12, centred: 0.1, 'wad-cmsn': 0.14 }),
    ];
    const stats = summaryStats(runs);
    expect(stats.map((s) => s.method)).toEqual(['backbone', 'centred', 'wad-cmsn']);
    const wad = stats[2];
    expect(wad.values).toEqual([0.15, 0.13, 0.14]);
    expect(wad.mean).toBeCloseTo(0.14, 12);
    expect(wad.std).toBeCloseTo(0.01, 12);
    expect(perRunChecks(stats)).toEqual({
      aboveCentred: [true, false, true],
      overBackbone: [true, true, false],
    });
    expect(statsTable(stats, ['a', 'b', 'c']).split('\n')[4]).toBe(
      '| wad-cmsn | 0.1400 ± 0.0100 | 0.1500 | 0.1300 | 0.1400 |',
    );
  });

  it('names the run that lacks a method or has a null figure', () => {
    const runs = [summary({ 'wad-cmsn': 0.1 }), summary({ 'wad-cmsn': null })];
    expect(() => summaryStats(runs, ['/tmp/r1', '/tmp/r2'])).toThrow(
      "/tmp/r2: no mAP@all for method 'wad-cmsn' in its summary.json",
    );
    expect(() => summaryStats([summary({ a: 0.1 }), summary({ b: 0.2 })], ['x', 'y'])).toThrow(
      "y: no mAP@all for method 'a'",
    );
  });
});
