import { describe, expect, it } from 'vitest';
import { F32_BLOCK } from './dot-kernel-module.js';
import {
  createBoundedDotKernel,
  createDotKernel,
  createGalleryMemory,
  float32DotError,
} from './gallery-memory.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Float64 dot in the kernels' order: even and odd dimensions summed apart, then added. */
function pairedDot(a: Float32Array, b: Float32Array): number {
  let even = 0;
  let odd = 0;
  for (let k = 0; k < a.length; k++) {
    if (k % 2 === 0) even += a[k]! * b[k]!;
    else odd += a[k]! * b[k]!;
  }
  return even + odd;
}

/**
 * The float32 tile's result in plain JavaScript: four lanes (dimension mod 4), each summing blocks
 * of F32_BLOCK products into a running total, then (l0 + l1) + (l2 + l3), all in float32.
 */
function blockedFloat32Dot(a: Float32Array, b: Float32Array): number {
  const f = Math.fround;
  const steps = Math.ceil(a.length / 4);
  const totals = [0, 0, 0, 0];
  for (let start = 0; start < steps; start += F32_BLOCK) {
    const sums = [0, 0, 0, 0];
    for (let p = start; p < Math.min(steps, start + F32_BLOCK); p++) {
      for (let lane = 0; lane < 4; lane++) {
        const k = 4 * p + lane;
        if (k < a.length) sums[lane] = f(sums[lane]! + f(a[k]! * b[k]!));
      }
    }
    for (let lane = 0; lane < 4; lane++) totals[lane] = f(totals[lane]! + sums[lane]!);
  }
  return f(f(totals[0]! + totals[1]!) + f(totals[2]! + totals[3]!));
}

describe('gallery kernels', () => {
  // Sizes that are not multiples of the 2 x 4 tile, the float32 quad or the float64 pair.
  for (const [queries, rows, dim] of [
    [3, 9, 7],
    [5, 6, 13],
    [1, 1, 1],
    [4, 17, 512],
    [2, 5, 70],
  ] as const) {
    const random = lcg(queries * 1000 + rows * 10 + dim);
    const q = Float32Array.from({ length: queries * dim }, () => random() * 4 - 2);
    const g = Float32Array.from({ length: rows * dim }, () => random() * 4 - 2);
    const row = (m: Float32Array, i: number) => m.subarray(i * dim, (i + 1) * dim);

    it(`float32 tiles stay within float32DotError of float64 (${queries} x ${rows} x ${dim})`, () => {
      const kernel = createBoundedDotKernel(createGalleryMemory(g, rows, dim, 1, queries, true), 0);
      const out = kernel.approximate(q, queries);
      const stride = Math.ceil(rows / 4) * 4;
      const error = float32DotError(dim);
      let worst = 0;
      for (let i = 0; i < queries; i++) {
        for (let j = 0; j < rows; j++) {
          let exact = 0;
          let magnitude = 0;
          for (let k = 0; k < dim; k++) {
            exact += q[i * dim + k]! * g[j * dim + k]!;
            magnitude += Math.abs(q[i * dim + k]! * g[j * dim + k]!);
          }
          const diff = Math.abs(out[i * stride + j]! - exact);
          expect(diff).toBeLessThanOrEqual(error.relative * magnitude + error.absolute);
          worst = Math.max(worst, diff / magnitude);
        }
      }
      // A float32 result, not a float64 one passed through.
      if (dim > 8) expect(worst).toBeGreaterThan(0);
    });

    it(`float32 tiles equal the blocked float32 sum bit for bit (${queries} x ${rows} x ${dim})`, () => {
      const kernel = createBoundedDotKernel(createGalleryMemory(g, rows, dim, 1, queries, true), 0);
      const out = kernel.approximate(q, queries);
      const stride = Math.ceil(rows / 4) * 4;
      for (let i = 0; i < queries; i++) {
        for (let j = 0; j < rows; j++) {
          expect(out[i * stride + j]).toBe(blockedFloat32Dot(row(q, i), row(g, j)));
        }
      }
    });

    it(`exact row dot products equal the float64 tile bit for bit (${queries} x ${rows} x ${dim})`, () => {
      const tiles = new Float64Array(queries * rows);
      createDotKernel(createGalleryMemory(g, rows, dim, 1, queries), 0)(q, queries, tiles);
      const kernel = createBoundedDotKernel(createGalleryMemory(g, rows, dim, 1, queries, true), 0);
      // Rows in a scrambled order with repeats, a count that is not a multiple of 4.
      const items = Int32Array.from({ length: rows + 3 }, (_, a) => (a * 5 + 2) % rows);
      const out = new Float64Array(items.length);
      for (let i = 0; i < queries; i++) {
        kernel.setQuery(row(q, i));
        kernel.exact(items, items.length, out);
        for (let a = 0; a < items.length; a++) {
          const j = items[a]!;
          expect(out[a]).toBe(tiles[i * rows + j]);
          expect(out[a]).toBe(pairedDot(row(q, i), row(g, j)));
        }
      }
    });
  }
});
