import { describe, expect, it } from 'vitest';
import { compileDotKernel } from './compile-dot-kernel.js';
import { F32_BLOCK, relaxedSimdProbe } from './dot-kernel-module.js';
import { blockedFloat32Dot, fusedMultiplyAdd32 } from './float32-dot-model.testkit.js';
import {
  createBoundedDotKernel,
  createDotKernel,
  createGalleryMemory,
  float32DotError,
} from './gallery-memory.js';
import { lcg } from './lcg.testkit.js';

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

    for (const fused of [false, true]) {
      const kernelName = fused ? 'fused (relaxed_madd)' : 'unfused';
      const bounded = () =>
        createBoundedDotKernel(
          createGalleryMemory(g, rows, dim, 1, queries, true, compileDotKernel(fused)),
          0,
        );

      it(`${kernelName} float32 tiles stay within float32DotError of float64 (${queries} x ${rows} x ${dim})`, () => {
        const out = bounded().approximate(q, queries);
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

      it(`${kernelName} float32 tiles equal the blocked float32 sum bit for bit (${queries} x ${rows} x ${dim})`, () => {
        const out = bounded().approximate(q, queries);
        const stride = Math.ceil(rows / 4) * 4;
        // relaxed_madd may round once or twice (the CPU decides): the whole tile is one or the
        // other.
        const matches = (model: boolean) =>
          Array.from({ length: queries * rows }, (_, e) => {
            const [i, j] = [Math.floor(e / rows), e % rows];
            return out[i * stride + j] === blockedFloat32Dot(row(q, i), row(g, j), model);
          }).every(Boolean);
        expect(fused ? matches(true) || matches(false) : matches(false)).toBe(true);
      });
    }

    it(`exact row dot products equal the float64 tile bit for bit (${queries} x ${rows} x ${dim})`, () => {
      const tiles = new Float64Array(queries * rows);
      createDotKernel(createGalleryMemory(g, rows, dim, 1, queries), 0)(q, queries, tiles);
      const kernel = createBoundedDotKernel(
        createGalleryMemory(g, rows, dim, 1, queries, true, compileDotKernel(true)),
        0,
      );
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

describe('fused float32 tile (relaxed SIMD)', () => {
  it('compiles with relaxed_madd on this runtime (Node 20 through the V8 flag) and restores the flag', () => {
    const kernel = compileDotKernel('auto');
    expect(kernel.fused).toBe(true);
    expect(compileDotKernel(true)).toBe(kernel);
    expect(compileDotKernel(false).fused).toBe(false);
    // The flag is off again for everyone else: a relaxed SIMD module compiled now still fails.
    const [major] = process.versions.node.split('.').map(Number);
    if (major! < 22) expect(() => new WebAssembly.Module(relaxedSimdProbe())).toThrow();
  });

  it('rounds once per step on a CPU with FMA (x64 and arm64 all have it)', () => {
    // (1 + 2^-12)^2 - 1 = 2^-11 + 2^-24: unfused, the square rounds to 1 + 2^-11 first.
    const x = 1 + 2 ** -12;
    expect(fusedMultiplyAdd32(x, x, -1)).toBe(2 ** -11 + 2 ** -24);
    expect(Math.fround(Math.fround(x * x) - 1)).toBe(2 ** -11);
    const q = Float32Array.of(1, 0, 0, 0, x);
    const g = Float32Array.of(-1, 0, 0, 0, x);
    // Dimension 0 and 4 share lane 0: -1 first, then x * x added to it.
    const fused = createBoundedDotKernel(
      createGalleryMemory(g, 1, 5, 1, 1, true, compileDotKernel(true)),
      0,
    ).approximate(q, 1)[0];
    const plain = createBoundedDotKernel(
      createGalleryMemory(g, 1, 5, 1, 1, true, compileDotKernel(false)),
      0,
    ).approximate(q, 1)[0];
    expect(fused).toBe(2 ** -11 + 2 ** -24);
    expect(plain).toBe(2 ** -11);
  });

  // Adversarial input: in every lane each block of F32_BLOCK steps is 1 followed by products
  // of 2^-24 + 2^-30, just over half an ulp of the running sum, so every addition in a block rounds
  // up by almost u: about (F32_BLOCK - 1) u relative error, which a bound without the in-block
  // roundings (gamma of blocks + 4 at d = 512) would not cover. The products are exact, so both
  // kernels round the same way.
  for (const fused of [false, true]) {
    it(`stays within float32DotError on rounding-adversarial input, and needs all of it (${fused ? 'fused' : 'unfused'})`, () => {
      const dim = 512;
      const small = 2 ** -24 + 2 ** -30;
      const q = Float32Array.from({ length: dim }, (_, k) =>
        (k >> 2) % F32_BLOCK === 0 ? 1 : small,
      );
      const g = new Float32Array(dim).fill(1);
      const out = createBoundedDotKernel(
        createGalleryMemory(g, 1, dim, 1, 1, true, compileDotKernel(fused)),
        0,
      ).approximate(q, 1)[0]!;
      const exact = q.reduce((a, v) => a + v, 0);
      const relative = Math.abs(out - exact) / exact;
      const u = 2 ** -24;
      expect(relative).toBeLessThanOrEqual(float32DotError(dim).relative);
      expect(relative).toBeGreaterThan(12 * u);
      const blocks = Math.ceil(dim / 4 / F32_BLOCK);
      expect(relative).toBeGreaterThan(((blocks + 4) * u) / (1 - (blocks + 4) * u));
    });
  }
});
