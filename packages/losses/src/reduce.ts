import type { Ops } from '@zs-sbir/core';

/**
 * How a per-element error `[batch, D]` becomes a scalar:
 * - `mean`: mean over every element (PyTorch's `MSELoss` / `L1Loss`; the scale SEM-PCYC's loss
 *   weights assume);
 * - `sum-features`: sum over the feature axis, mean over rows (`mean_i ||e_i||`, the literal
 *   reading of WAD-CMSN-style `mean ||z - p||^2`; `D` times `mean`).
 */
export type Reduction = 'mean' | 'sum-features';

/** The names {@link Reduction} accepts. */
export const REDUCTIONS: readonly Reduction[] = ['mean', 'sum-features'];

/** The distance norm of a reconstruction: `l1` = `|a - b|`, `l2` = `(a - b)^2`. */
export type Norm = 'l1' | 'l2';

/** The names {@link Norm} accepts. */
export const NORMS: readonly Norm[] = ['l1', 'l2'];

/** `reduce(|a - b|)` or `reduce((a - b)^2)` of two `[batch, D]` tensors. */
export function elementwiseError<T>(ops: Ops<T>, a: T, b: T, norm: Norm, reduction: Reduction): T {
  const diff = ops.sub(a, b);
  const e = { l1: () => ops.abs(diff), l2: () => ops.square(diff) }[norm]();
  return { mean: () => ops.mean(e), 'sum-features': () => ops.mean(ops.sum(e, -1)) }[reduction]();
}
