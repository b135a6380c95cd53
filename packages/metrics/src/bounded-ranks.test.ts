import { describe, expect, it } from 'vitest';
import { createBoundedRankScratch, rankRelevantFromBounds } from './bounded-ranks.js';
import { createBoundedDotKernel, createGalleryMemory } from './gallery-memory.js';
import { lcg } from './lcg.testkit.js';
import { createRankScratch, rankDescending } from './rank-descending.js';
import { tieGroupEnds } from './ranked-metrics.js';

/**
 * Runs rankRelevantFromBounds; returns ranks, tie ends and how many exact scores it asked for.
 * It runs twice, in JavaScript and in WebAssembly (the scores copied into a gallery kernel's
 * memory, as `evaluateRetrieval` does; the kernel's ranker must run), and expects the same answer.
 */
function bounded(exact: Float64Array, approximate: Float64Array, window: number, labels: number[]) {
  const n = exact.length;
  const kernel = createBoundedDotKernel(
    createGalleryMemory(new Float32Array(n), n, 1, 1, 2, true),
    0,
  );
  kernel.scores.set(approximate);
  const ranker = kernel.ranks.ranker!;
  let wasmRuns = 0;
  kernel.ranks.ranker = {
    scores: ranker.scores,
    rank: (...args) => {
      wasmRuns++;
      ranker.rank(...args);
    },
  };
  const [plain, wasm] = [
    { scores: approximate, scratch: createBoundedRankScratch(n) },
    { scores: kernel.scores, scratch: kernel.ranks },
  ].map(({ scores, scratch }) => {
    const ranks = new Int32Array(n);
    const ends = new Int32Array(n);
    let asked = 0;
    const positives = rankRelevantFromBounds(
      {
        approximate: scores,
        window,
        labels: Int32Array.from(labels),
        label: 1,
        exact: (items, count, out) => {
          asked += count;
          for (let a = 0; a < count; a++) out[a] = exact[items[a]!]!;
        },
      },
      scratch,
      ranks,
      ends,
    );
    return {
      ranks: Array.from(ranks.subarray(0, positives)),
      ends: Array.from(ends.subarray(0, positives)),
      asked,
    };
  });
  expect(wasm).toEqual(plain);
  expect(wasmRuns).toBe(labels.includes(1) ? 1 : 0);
  return plain!;
}

/** The same from a full stable sort of the exact scores. */
function sorted(exact: Float64Array, labels: number[]) {
  const n = exact.length;
  const order = new Uint32Array(n);
  rankDescending(exact, order, createRankScratch(n));
  const ranks = new Int32Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[order[i]!] === 1) ranks[positives++] = i;
  const ends = new Int32Array(positives);
  tieGroupEnds(
    ranks,
    positives,
    Float64Array.from(order, (j) => exact[j]!),
    ends,
  );
  return { ranks: Array.from(ranks.subarray(0, positives)), ends: Array.from(ends) };
}

describe('rankRelevantFromBounds', () => {
  it('gives stable ranks and tie-group ends on a hand-computed case with ties', () => {
    // Stable descending order: 3 (0.9), 0 (0.5), 2 (0.5), 5 (0.5), 6 (0.3), 1 (0.2), 4 (0.1).
    // Relevant: 0, 3, 4, 5 -> ranks 0, 1, 3, 6; 0.5 ties end at 4, so ends 1, 4, 4, 7.
    const exact = Float64Array.from([0.5, 0.2, 0.5, 0.9, 0.1, 0.5, 0.3]);
    const labels = [1, 0, 0, 1, 1, 1, 0];
    const approximate = exact.map((v, i) => v + (i % 2 ? 1e-3 : -1e-3));
    const got = bounded(exact, approximate, 1e-3, labels);
    expect(got.ranks).toEqual([0, 1, 3, 6]);
    expect(got.ends).toEqual([1, 4, 4, 7]);
    // Approximate: 0.499, 0.201, 0.499, 0.901, 0.099, 0.501, 0.299. Relevant 0 and 5 are within
    // twice the window of each other (and of item 2), so they and item 2 (0.499 is within the
    // window of 0.5) get exact scores; relevant 3 and 4 are apart from everything: 3 asked.
    expect(got.asked).toBe(3);
  });

  it('places items by their approximate score when it is farther than the window', () => {
    const exact = Float64Array.from([0.8, 0.6, 0.4, 0.2]);
    const got = bounded(
      exact,
      exact.map((v) => v + 0.05),
      0.05,
      [0, 1, 0, 1],
    );
    // Both relevant items are more than twice the window from every other item: no exact score.
    expect(got).toEqual({ ranks: [1, 3], ends: [2, 4], asked: 0 });
  });

  it('asks exact scores only for relevant items not apart from another item', () => {
    // Window 0.01. Relevant 0 (0.9) and 5 (0.1) are apart from all; relevant 1 (0.6) and 2
    // (0.615) overlap each other; relevant 3 (0.4) overlaps non-relevant 4 (0.41).
    const exact = Float64Array.from([0.9, 0.6, 0.615, 0.4, 0.41, 0.1, 0.7, 0.2]);
    const labels = [1, 1, 1, 1, 0, 1, 0, 0];
    const got = bounded(exact, exact, 0.01, labels);
    expect(got.ranks).toEqual([0, 2, 3, 5, 7]);
    expect(got.ends).toEqual([1, 3, 4, 6, 8]);
    // Relevant 1, 2, 3 and non-relevant 4 (within the window of 0.4): 4 rows, not 5 + 1.
    expect(got.asked).toBe(4);
  });

  it('never uses the exact score of an isolated relevant item (a wrong one changes nothing)', () => {
    const exact = Float64Array.from([0.9, 0.5, 0.3, 0.1]);
    const labels = [0, 1, 0, 1];
    const n = exact.length;
    const ranks = new Int32Array(n);
    const ends = new Int32Array(n);
    const positives = rankRelevantFromBounds(
      {
        approximate: exact,
        window: 0.05,
        labels: Int32Array.from(labels),
        label: 1,
        exact: (items, count, out) => {
          for (let a = 0; a < count; a++) out[a] = -exact[items[a]!]!;
        },
      },
      createBoundedRankScratch(n),
      ranks,
      ends,
    );
    expect(Array.from(ranks.subarray(0, positives))).toEqual([1, 3]);
    expect(Array.from(ends.subarray(0, positives))).toEqual([2, 4]);
  });

  it('matches a full stable sort on adversarial overlaps: touching intervals, ties across labels', () => {
    const random = lcg(23);
    for (let trial = 0; trial < 400; trial++) {
      const n = 1 + Math.floor(random() * 200);
      const window = [1e-3, 0.05, 2 ** -10][trial % 3]!;
      // Exact scores on a grid of spacing window / 2, 2 window or 3 window: intervals overlapping,
      // touching at 2 window, or just apart; many exact ties.
      const spacing = [0.5, 2, 3, 1][trial % 4]! * window;
      const levels = 1 + Math.floor(random() * 30);
      const exact = Float64Array.from(
        { length: n },
        () => (Math.floor(random() * levels) - levels / 2) * spacing,
      );
      const fraction = [0, 1, 0.05, 0.3, 0.7][trial % 5]!; // none, all, sparse, mixed relevant
      const labels = Array.from({ length: n }, () => (random() < fraction ? 1 : 0));
      // Errors at -window, 0, +window or anywhere between.
      const approximate = exact.map((v) => {
        const pick = random();
        const e =
          pick < 0.25
            ? -window
            : pick < 0.5
              ? window
              : pick < 0.6
                ? 0
                : (random() * 2 - 1) * window;
        return v + e;
      });
      const got = bounded(exact, approximate, window, labels);
      const want = sorted(exact, labels);
      expect(got.ranks, `trial ${trial}`).toEqual(want.ranks);
      expect(got.ends, `trial ${trial}`).toEqual(want.ends);
    }
  });

  it('keeps tie groups that span relevant and non-relevant items, isolated items around them', () => {
    // 0.5 tied by relevant 1, 4 and non-relevant 2, 6 (gallery order decides); 0.52 relevant 3
    // overlaps them; 0.8 (relevant 0) and 0.2 (relevant 7) are isolated.
    const exact = Float64Array.from([0.8, 0.5, 0.5, 0.52, 0.5, 0.3, 0.5, 0.2]);
    const labels = [1, 1, 0, 1, 1, 0, 0, 1];
    const approximate = Float64Array.from([0.81, 0.51, 0.49, 0.51, 0.49, 0.29, 0.5, 0.19]);
    const got = bounded(exact, approximate, 0.01, labels);
    // Order: 0 (0.8), 3 (0.52), 1, 2, 4, 6 (0.5), 5 (0.3), 7 (0.2).
    expect(got.ranks).toEqual([0, 1, 2, 4, 7]);
    expect(got.ends).toEqual([1, 2, 6, 6, 8]);
    // Relevant 1, 3, 4 and non-relevant 2, 6: not relevant 0 and 7.
    expect(got.asked).toBe(5);
    expect(got).toMatchObject(sorted(exact, labels));
  });

  it('ranks an all-relevant gallery with isolated, overlapping and tied items', () => {
    const exact = Float64Array.from([0.3, 0.9, 0.3, 0.305, 0.1, 0.6]);
    const got = bounded(exact, exact, 0.01, [1, 1, 1, 1, 1, 1]);
    expect(got.ranks).toEqual([0, 1, 2, 3, 4, 5]);
    expect(got.ends).toEqual([1, 2, 3, 5, 5, 6]);
    // Items 0, 2 (0.3) and 3 (0.305) overlap; 0.9, 0.6 and 0.1 are isolated.
    expect(got.asked).toBe(3);
  });

  it('matches a full stable sort on random scores, heavy ties and approximations at the window', () => {
    const random = lcg(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(random() * 300);
      const levels = 1 + Math.floor(random() * 12);
      const heavy = trial % 2 === 0;
      const exact = Float64Array.from({ length: n }, () =>
        heavy ? Math.floor(random() * levels) / levels - 0.5 : random() * 2 - 1,
      );
      const labels = Array.from({ length: n }, () => (random() < 0.3 ? 1 : 0));
      const window = [0, 1e-9, 0.01, 0.3][trial % 4]!;
      // Errors up to the window, both signs, some exactly at it.
      const approximate = exact.map((v) => {
        const e =
          random() < 0.2 ? (random() < 0.5 ? -window : window) : (random() * 2 - 1) * window;
        return v + e;
      });
      const got = bounded(exact, approximate, window, labels);
      const want = sorted(exact, labels);
      expect(got.ranks, `trial ${trial}`).toEqual(want.ranks);
      expect(got.ends, `trial ${trial}`).toEqual(want.ends);
    }
  });

  it('matches a full stable sort at any scale and offset, one threshold, items far outside', () => {
    const random = lcg(11);
    for (let trial = 0; trial < 120; trial++) {
      const scale = [1e-300, 1e-6, 1, 1e12][trial % 4]!;
      const offset = [0, 5, -3][trial % 3]! * scale;
      const n = 1 + Math.floor(random() * 400);
      const few = trial % 5 === 0; // a single relevant item: the thresholds span nothing
      const labels = Array.from({ length: n }, (_, j) =>
        few ? (j === 0 ? 1 : 0) : random() < 0.1 ? 1 : 0,
      );
      // Relevant scores in a narrow band; others spread far above and below it, some on it.
      const exact = Float64Array.from({ length: n }, (_, j) => {
        const band = labels[j] === 1 || random() < 0.3;
        const v = band ? Math.floor(random() * 50) / 1000 : (random() * 2 - 1) * 100;
        return offset + v * scale;
      });
      const window = [0, 1e-4, 3e-3][trial % 3]! * scale;
      const approximate = exact.map((v) => v + (random() * 2 - 1) * window);
      const got = bounded(exact, approximate, window, labels);
      const want = sorted(exact, labels);
      expect(got.ranks, `trial ${trial}`).toEqual(want.ranks);
      expect(got.ends, `trial ${trial}`).toEqual(want.ends);
    }
  });

  it('matches a full stable sort when the relevant scores cluster around one far outlier', () => {
    // One relevant score far above 300 clustered ones: the sort of the thresholds cannot use
    // buckets over the range and must fall back; the window isolates nothing in the cluster.
    const random = lcg(31);
    const n = 400;
    const exact = Float64Array.from({ length: n }, (_, j) => (j === 5 ? 1e6 : random()));
    const labels = Array.from({ length: n }, (_, j) => (j < 300 ? 1 : 0));
    const approximate = exact.map((v) => v + (random() * 2 - 1) * 1e-4);
    const got = bounded(exact, approximate, 1e-4, labels);
    expect(got.ranks).toEqual(sorted(exact, labels).ranks);
    expect(got.ends).toEqual(sorted(exact, labels).ends);
    expect(got.ranks[0]).toBe(0);
  });

  it('ranks with scratch sized for the largest class, and refuses a query with more relevant items', () => {
    const exact = Float64Array.from([0.9, 0.1, 0.5, 0.4, 0.7, 0.2]);
    const labels = [1, 0, 1, 0, 1, 0];
    const kernel = createBoundedDotKernel(
      createGalleryMemory(new Float32Array(6), 6, 1, 1, 2, true, undefined, 3),
      0,
    );
    kernel.scores.set(exact);
    const ranks = new Int32Array(6);
    const run = (label: number) =>
      rankRelevantFromBounds(
        {
          approximate: kernel.scores,
          window: 1e-3,
          labels: Int32Array.from(labels),
          label,
          exact: (items, count, out) => {
            for (let a = 0; a < count; a++) out[a] = exact[items[a]!]!;
          },
        },
        kernel.ranks,
        ranks,
        new Int32Array(6),
      );
    expect(kernel.ranks.maxRelevant).toBe(3);
    expect(kernel.ranks.relevant.length).toBe(3);
    // Descending: items 0 (0.9), 4 (0.7), 2 (0.5), ...: the relevant 0, 2, 4 rank 0, 1, 2.
    expect(run(1)).toBe(3);
    expect(Array.from(ranks.subarray(0, 3))).toEqual([0, 1, 2]);
    labels[1] = 1;
    expect(() => run(1)).toThrow(
      'rankRelevantFromBounds: label 1 has 4 gallery items, more than the 3 the scratch was made for',
    );
  });

  it('returns 0 without asking for scores when no item is relevant', () => {
    const exact = Float64Array.from([0.1, 0.2]);
    expect(bounded(exact, exact, 0.1, [0, 0])).toEqual({ ranks: [], ends: [], asked: 0 });
  });
});
