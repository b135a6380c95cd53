import { F32_BLOCK } from './dot-kernel-module.js';

const f = Math.fround;

/**
 * fl32(a x b + c) rounded once (a fused multiply-add) for float32 a, b, c: a x b is exact in
 * float64, the sum's float64 rounding error comes from TwoSum, and it decides the one case where
 * rounding twice differs: a float64 sum exactly halfway between two float32 values.
 */
export function fusedMultiplyAdd32(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const t = s - p;
  const e = p - (s - t) + (c - t);
  const r = f(s);
  if (e === 0 || r === s) return r;
  // s is halfway between r and other exactly when other = 2s - r is a float32 (on the far side).
  const other = s + (s - r);
  if (other === r || f(other) !== other) return r;
  return e > 0 === other > s ? other : r;
}

/**
 * The float32 tile's result in plain JavaScript: four lanes (dimension mod 4), each summing blocks
 * of F32_BLOCK products into a running total, then (l0 + l1) + (l2 + l3), all in float32; each
 * step rounded once with `fused`, else the product and the sum apart.
 */
export function blockedFloat32Dot(a: Float32Array, b: Float32Array, fused = false): number {
  const steps = Math.ceil(a.length / 4);
  const totals = [0, 0, 0, 0];
  for (let start = 0; start < steps; start += F32_BLOCK) {
    const sums = [0, 0, 0, 0];
    for (let p = start; p < Math.min(steps, start + F32_BLOCK); p++) {
      for (let lane = 0; lane < 4; lane++) {
        const k = 4 * p + lane;
        if (k >= a.length) continue;
        sums[lane] = fused
          ? fusedMultiplyAdd32(a[k]!, b[k]!, sums[lane]!)
          : f(sums[lane]! + f(a[k]! * b[k]!));
      }
    }
    for (let lane = 0; lane < 4; lane++) totals[lane] = f(totals[lane]! + sums[lane]!);
  }
  return f(f(totals[0]! + totals[1]!) + f(totals[2]! + totals[3]!));
}
