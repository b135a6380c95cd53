/**
 * A seeded linear congruential generator for tests (Numerical Recipes' constants): the same
 * `seed` gives the same sequence of numbers in [0, 1) on every run and platform.
 */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
