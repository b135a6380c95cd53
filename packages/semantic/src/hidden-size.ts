/**
 * SEM-PCYC's hidden-width rule (Dutta & Akata, CVPR 2019, `AnjanDutta/sem-pcyc`): a layer between
 * widths `a` and `b` has `round((a + b) / 2)` units.
 */
export function midpointWidth(a: number, b: number): number {
  return Math.round((a + b) / 2);
}
