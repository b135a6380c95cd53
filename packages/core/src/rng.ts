import seedrandom from 'seedrandom';

/**
 * The serialisable state of an {@link Rng}, for checkpoints: the ARC4 generator's two indices
 * and its 256-byte permutation (the shape `seedrandom` saves and restores). Declared here, not
 * taken from `@types/seedrandom`, so it resolves with only this package's dependencies.
 */
export interface RngState {
  /** First index, 0-255. */
  i: number;
  /** Second index, 0-255. */
  j: number;
  /** The permutation of 0-255 (256 numbers). */
  S: number[];
}

/**
 * A seeded pseudo-random generator (ARC4 from the `seedrandom` library) used for weight
 * initialisation, sampling, augmentation and splits: the same seed gives the same run on every
 * backend and machine.
 */
export interface Rng {
  /** A float uniformly drawn from [0, 1). */
  next(): number;
  /** A float uniformly drawn from [low, high). */
  uniform(low?: number, high?: number): number;
  /** An integer uniformly drawn from [0, n). */
  int(n: number): number;
  /** A normal draw (Box-Muller), scaled by `std` and shifted by `mean`. */
  normal(mean?: number, std?: number): number;
  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[];
  /** `n` distinct indices from [0, size), in draw order. */
  sample(size: number, n: number): number[];
  /** `n` floats in a Float32Array, drawn by `draw` (default {@link Rng.next}). */
  fill(n: number, draw?: () => number): Float32Array;
  /**
   * `n` draws of 32 random bits: the same numbers, and the same state afterwards, as `n` calls
   * of `Math.floor(next() * 2 ** 32)`, about ten times faster (for dropout masks).
   */
  uint32s(n: number): Uint32Array;
  /** A new generator seeded from this one, so sub-tasks get independent, reproducible streams. */
  fork(): Rng;
  /** The generator's state; {@link createRng} with `{ state }` resumes exactly here. */
  state(): RngState;
}

/** Options of {@link createRng}. */
export interface RngOptions {
  /** A state saved by {@link Rng.state}; when given, the generator resumes from it. */
  state?: RngState;
}

/**
 * Creates a seeded generator.
 *
 * @param seed - any string or number; the same seed gives the same stream.
 * @throws Error when the seed is not a finite number or a string.
 */
export function createRng(seed: number | string, options: RngOptions = {}): Rng {
  if (typeof seed === 'number' && !Number.isFinite(seed)) {
    throw new Error(`createRng: seed must be a finite number or a string, got ${seed}`);
  }
  let prng = seedrandom(String(seed), { state: options.state ?? true });
  const rng: Rng = {
    next: () => prng.quick(),
    uniform: (low = 0, high = 1) => low + (high - low) * prng.quick(),
    int: (n) => {
      if (!Number.isInteger(n) || n <= 0) {
        throw new Error(`Rng.int: n must be a positive integer, got ${n}`);
      }
      return Math.floor(prng.double() * n);
    },
    normal: (mean = 0, std = 1) => {
      // One draw per call (the second Box-Muller value is not cached) so state() is complete.
      let u = 0;
      while (u === 0) u = prng.double();
      const v = prng.double();
      return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(prng.double() * (i + 1));
        const tmp = items[i]!;
        items[i] = items[j]!;
        items[j] = tmp;
      }
      return items;
    },
    sample: (size, n) => {
      if (n > size) throw new Error(`Rng.sample: cannot draw ${n} distinct items from ${size}`);
      const pool = Array.from({ length: size }, (_, i) => i);
      for (let i = 0; i < n; i++) {
        const j = i + Math.floor(prng.double() * (size - i));
        const tmp = pool[i]!;
        pool[i] = pool[j]!;
        pool[j] = tmp;
      }
      return pool.slice(0, n);
    },
    fill: (n, draw) => {
      const out = new Float32Array(n);
      const f = draw ?? (() => prng.quick());
      for (let i = 0; i < n; i++) out[i] = f();
      return out;
    },
    uint32s: (n) => {
      // seedrandom's ARC4 keystream, four bytes (big-endian) per draw, run on a copy of its state.
      const { S, i: i0, j: j0 } = prng.state();
      const s = Uint8Array.from(S);
      const out = new Uint32Array(n);
      let i = i0;
      let j = j0;
      for (let k = 0; k < n; k++) {
        let r = 0;
        for (let b = 0; b < 4; b++) {
          i = (i + 1) & 255;
          const t = s[i]!;
          j = (j + t) & 255;
          const u = s[j]!;
          s[i] = u;
          s[j] = t;
          r = (r << 8) | s[(u + t) & 255]!;
        }
        out[k] = r >>> 0;
      }
      prng = seedrandom('', { state: { i, j, S: Array.from(s) } });
      return out;
    },
    fork: () => createRng(`${prng.int32()}`),
    state: () => prng.state(),
  };
  return rng;
}
