/**
 * numpy's legacy global generator (`np.random.seed(int)`, MT19937) and `choice(..., replace=False)`,
 * written from the algorithms (Matsumoto & Nishimura 1998; numpy's `random_interval` and
 * Fisher-Yates `shuffle`) so tests can rebuild SEM-PCYC's seed-0 splits without Python.
 */
export class NumpyLegacyRandom {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = this.mt[i - 1]! ^ (this.mt[i - 1]! >>> 30);
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  private nextUint32(): number {
    if (this.index >= 624) {
      for (let i = 0; i < 624; i++) {
        const y = (this.mt[i]! & 0x80000000) | (this.mt[(i + 1) % 624]! & 0x7fffffff);
        let v = this.mt[(i + 397) % 624]! ^ (y >>> 1);
        if (y & 1) v ^= 0x9908b0df;
        this.mt[i] = v >>> 0;
      }
      this.index = 0;
    }
    let y = this.mt[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A uniform integer in [0, max], by masked rejection. */
  private interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    for (let s = 1; s <= 16; s <<= 1) mask |= mask >>> s;
    let v: number;
    do v = (this.nextUint32() & mask) >>> 0;
    while (v > max);
    return v;
  }

  /** `np.random.choice(items, size, replace=False)`. */
  choice<T>(items: readonly T[], size: number): T[] {
    const perm = Array.from({ length: items.length }, (_, i) => i);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = this.interval(i);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    return perm.slice(0, size).map((i) => items[i]!);
  }
}
