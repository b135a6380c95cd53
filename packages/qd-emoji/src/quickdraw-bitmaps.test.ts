import { describe, expect, it } from 'vitest';
import { QdEmojiError } from './errors.js';
import { readQuickDrawBitmaps } from './quickdraw-bitmaps.js';

describe('readQuickDrawBitmaps', () => {
  it('reads 100 bitmaps of 28 x 28 values in [0, 1] with ink on a blank border', () => {
    const bitmaps = readQuickDrawBitmaps('cat');
    expect(bitmaps).toHaveLength(100);
    for (const b of bitmaps) {
      expect(b).toHaveLength(784);
      expect(b.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
    // Ink is 1 and paper 0: most pixels of a line drawing are paper.
    const mean = bitmaps.reduce((s, b) => s + b.reduce((t, v) => t + v, 0) / 784, 0) / 100;
    expect(mean).toBeGreaterThan(0.05);
    expect(mean).toBeLessThan(0.4);
  });

  it('names the file when a category does not exist', () => {
    expect(() => readQuickDrawBitmaps('unicorn')).toThrow(QdEmojiError);
    expect(() => readQuickDrawBitmaps('unicorn')).toThrow(/unicorn\.ndjson\.gz/);
  });
});
