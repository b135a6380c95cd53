import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readNpyLabels, readNpyMatrix } from './npy-convert.js';
import { NpyError } from './npy-error.js';
import { readNpy, writeNpy } from './npy-file.js';
import { npyFixture } from './npy-fixture.testkit.js';

describe('readNpyMatrix', () => {
  it('converts a float64 matrix to float32 [rows, cols]', async () => {
    const m = await readNpyMatrix(npyFixture('f8-be.npy'));
    const raw = await readNpy(npyFixture('f8-le.npy'));
    expect([m.rows, m.cols]).toEqual([3, 4]);
    expect(m.data).toEqual(Float32Array.from(raw.data as Float64Array));
  });

  it('refuses a 3-D array, naming the file', async () => {
    const path = npyFixture('fortran-3d.npy');
    await expect(readNpyMatrix(path)).rejects.toThrow(NpyError);
    await expect(readNpyMatrix(path)).rejects.toThrow(/fortran-3d\.npy: expected a 2-D matrix/);
  });
});

describe('readNpyLabels', () => {
  it('converts int64 labels to Int32Array', async () => {
    expect(await readNpyLabels(npyFixture('labels-i8.npy'))).toEqual(
      new Int32Array([0, 3, 2, 24, 1]),
    );
  });

  it('accepts a column of labels', async () => {
    expect(await readNpyLabels(npyFixture('labels-column.npy'))).toEqual(new Int32Array([4, 1, 0]));
  });

  it('refuses labels outside the int32 range, naming the index', async () => {
    await expect(readNpyLabels(npyFixture('labels-big.npy'))).rejects.toThrow(
      /label 1099511627776 at index 1 does not fit in int32/,
    );
  });

  it('refuses float labels with advice', async () => {
    await expect(readNpyLabels(npyFixture('vector.npy'))).rejects.toThrow(
      /labels must be an integer array, got float32/,
    );
  });
});

describe('readNpy / writeNpy', () => {
  it('writes atomically and reads back, leaving no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'npy-'));
    const path = join(dir, 'emb.npy');
    await writeNpy(path, { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] });
    const back = await readNpyMatrix(path);
    expect(back).toEqual({ data: new Float32Array([1, 2, 3, 4, 5, 6]), rows: 2, cols: 3 });
    expect(readdirSync(dir)).toEqual(['emb.npy']);
  });

  it('names a missing file', async () => {
    await expect(readNpy('/nonexistent/x.npy')).rejects.toThrow(
      /\/nonexistent\/x\.npy: cannot read/,
    );
  });
});
