import { beforeAll, describe, expect, it } from 'vitest';
import { installBatchMatMulGradient } from './batch-mat-mul-gradient.js';
import { initBackend } from './init-backend.js';
import { createRng } from './rng.js';
import { tf } from './tf.js';

/** Plain float64 matmul of row-major a [m, k] by b [k, n]. */
function matmul(a: number[], b: number[], m: number, k: number, n: number): number[] {
  const out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++)
      for (let j = 0; j < n; j++) out[i * n + j]! += a[i * k + p]! * b[p * n + j]!;
  return out;
}

function transpose(a: number[], rows: number, cols: number): number[] {
  const out = new Array<number>(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j]!;
  return out;
}

const rng = createRng('batch-mat-mul');
const draw = (n: number) => Array.from(rng.fill(n, () => rng.normal()));

/**
 * For C = op(A) op(B) and L = sum(C * R): dL/d op(A) = R op(B)^T, dL/d op(B) = op(A)^T R.
 * The reference maps those back through the transposes in float64.
 */
function reference(tA: boolean, tB: boolean, m: number, k: number, n: number) {
  const A = draw(m * k); // stored as op(A) = A when !tA, else stored transposed [k, m]
  const B = draw(k * n);
  const R = draw(m * n);
  const dOpA = matmul(R, transpose(B, k, n), m, n, k); // [m, k]
  const dOpB = matmul(transpose(A, m, k), R, k, m, n); // [k, n]
  return {
    a: tA ? { data: transpose(A, m, k), shape: [k, m] } : { data: A, shape: [m, k] },
    b: tB ? { data: transpose(B, k, n), shape: [n, k] } : { data: B, shape: [k, n] },
    r: R,
    da: tA ? transpose(dOpA, m, k) : dOpA,
    db: tB ? transpose(dOpB, k, n) : dOpB,
  };
}

function gradients(
  tA: boolean,
  tB: boolean,
  ref: ReturnType<typeof reference>,
  m: number,
  n: number,
) {
  return tf.tidy(() => {
    const a = tf.tensor(ref.a.data, ref.a.shape);
    const b = tf.tensor(ref.b.data, ref.b.shape);
    const r = tf.tensor(ref.r, [m, n]);
    const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, tA, tB), r)));
    const [da, db] = g([a, b]);
    return [Array.from(da!.dataSync()), Array.from(db!.dataSync())];
  });
}

const cases = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

describe('explicit-transpose BatchMatMul gradient on wasm', () => {
  beforeAll(async () => {
    const report = await initBackend({ backend: 'wasm' });
    expect(report.batchMatMulGradientFix).toBe(true);
  });

  it.each(cases)('matches the float64 reference for transposeA=%s transposeB=%s', (tA, tB) => {
    const [m, k, n] = [5, 7, 3];
    const ref = reference(tA, tB, m, k, n);
    const [da, db] = gradients(tA, tB, ref, m, n);
    for (let i = 0; i < ref.da.length; i++) expect(da![i]).toBeCloseTo(ref.da[i]!, 4);
    for (let i = 0; i < ref.db.length; i++) expect(db![i]).toBeCloseTo(ref.db[i]!, 4);
  });

  it('gives the same MLP weight gradients as the cpu backend with the stock gradient', async () => {
    const x = draw(16 * 32);
    const w1 = draw(32 * 24).map((v) => v * 0.2);
    const w2 = draw(24 * 4).map((v) => v * 0.2);
    const step = () =>
      tf.tidy(() => {
        const [gw1, gw2] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.mean(tf.square(tf.matMul(tf.relu(tf.matMul(tf.tensor(x, [16, 32]), a)), b))),
        )([tf.tensor(w1, [32, 24]), tf.tensor(w2, [24, 4])]);
        return [...gw1!.dataSync(), ...gw2!.dataSync()];
      });
    const wasm = step();
    // Gradients are global: the cpu comparison runs in a fresh registry state only if the fix
    // is not installed, so compare against the cpu backend with the same (fixed) gradient and
    // against the stock formula recomputed through transposeA/transposeB flags.
    await initBackend({ backend: 'cpu' });
    const cpu = step();
    const stock = tf.tidy(() => {
      const xt = tf.tensor(x, [16, 32]);
      const a = tf.tensor(w1, [32, 24]);
      const b = tf.tensor(w2, [24, 4]);
      const pre = tf.matMul(xt, a);
      const h = tf.relu(pre);
      const y = tf.matMul(h, b);
      const dy = tf.mul(y, 2 / y.size);
      const gw2 = tf.matMul(h, dy, true, false);
      const dh = tf.mul(tf.matMul(dy, b, false, true), tf.step(pre));
      const gw1 = tf.matMul(xt, dh, true, false);
      return [...gw1.dataSync(), ...gw2.dataSync()];
    });
    await initBackend({ backend: 'wasm' });
    expect(wasm.length).toBe(32 * 24 + 24 * 4);
    for (let i = 0; i < wasm.length; i++) {
      expect(wasm[i]).toBeCloseTo(cpu[i]!, 5);
      expect(wasm[i]).toBeCloseTo(stock[i]!, 5);
    }
  });

  it('is installed once', () => {
    expect(installBatchMatMulGradient()).toBe(false);
  });
});
