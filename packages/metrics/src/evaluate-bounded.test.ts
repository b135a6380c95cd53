import { describe, expect, it } from 'vitest';
import { compileDotKernel } from './compile-dot-kernel.js';
import { type BlockConfig, createBlockScratch, evaluateBlock } from './evaluate-block.js';
import { evaluateRetrieval } from './evaluate-retrieval.js';
import { createGalleryMemory } from './gallery-memory.js';
import { lcg } from './lcg.testkit.js';
import { cosineFromDot, rowNormsSquared } from './similarity.js';

/** Small integer embeddings: many exactly tied scores, duplicated rows, a zero row. */
function tiedSet(rows: number, dim: number, random: () => number) {
  const data = Float32Array.from({ length: rows * dim }, () => Math.floor(random() * 5) - 2);
  data.copyWithin(dim * Math.floor(rows / 2), 0, dim * Math.floor(rows / 4));
  data.fill(0, 0, dim);
  const labels = Array.from({ length: rows }, () => Math.floor(random() * 4));
  return { data, labels, rows, cols: dim };
}

/** Float64 scores in the kernels' summation order, as the score-matrix path receives them. */
function scoreMatrix(
  q: ReturnType<typeof tiedSet>,
  g: ReturnType<typeof tiedSet>,
  cosine: boolean,
): Float64Array {
  const dim = q.cols;
  const qn = rowNormsSquared(q.data, q.rows, dim);
  const gn = rowNormsSquared(g.data, g.rows, dim);
  const out = new Float64Array(q.rows * g.rows);
  for (let i = 0; i < q.rows; i++) {
    for (let j = 0; j < g.rows; j++) {
      let even = 0;
      let odd = 0;
      for (let k = 0; k < dim; k++) {
        const p = q.data[i * dim + k]! * g.data[j * dim + k]!;
        if (k % 2 === 0) even += p;
        else odd += p;
      }
      const dot = even + odd;
      out[i * g.rows + j] = cosine ? cosineFromDot(dot, Math.sqrt(qn[i]!), gn[j]!) : dot;
    }
  }
  return out;
}

describe('evaluateRetrieval, bounded path (cosine and dot)', () => {
  const random = lcg(11);
  const q = tiedSet(37, 9, random);
  const g = tiedSet(301, 9, random);
  // One query equal to a gallery row, one with fractional values (inexact float32 products).
  q.data.set(g.data.subarray(5 * 9, 6 * 9), 3 * 9);
  for (let k = 0; k < 9; k++) q.data[4 * 9 + k] = Math.fround(random() - 0.5);

  for (const similarity of ['cosine', 'dot'] as const) {
    for (const protocol of ['sklearn', 'voc'] as const) {
      it(`equals the float64 score-matrix evaluation exactly, ties included (${similarity}, ${protocol})`, async () => {
        const settings = {
          queryLabels: q.labels,
          galleryLabels: g.labels,
          protocol,
          ks: [1, 5, 50, 400],
          workers: 0,
        } as const;
        const fast = await evaluateRetrieval({ ...settings, queries: q, gallery: g, similarity });
        const scores = scoreMatrix(q, g, similarity === 'cosine');
        const reference = await evaluateRetrieval({
          ...settings,
          scores: { data: scores, rows: q.rows, cols: g.rows },
        });
        expect(fast.perQuery).toEqual(reference.perQuery);
        expect(fast.mAPAll).toBe(reference.mAPAll);
        expect(fast.mAPAtK).toEqual(reference.mAPAtK);
        expect(fast.precisionAtK).toEqual(reference.precisionAtK);
        expect(fast.prCurve).toEqual(reference.prCurve);
      });
    }
  }

  it('handles an empty gallery and no queries', async () => {
    const empty = { data: new Float32Array(0), rows: 0, cols: 9 };
    for (const [queries, gallery] of [
      [q, empty],
      [empty, g],
    ] as const) {
      const report = await evaluateRetrieval({
        queries,
        gallery,
        similarity: 'cosine',
        queryLabels: queries === q ? q.labels : [],
        galleryLabels: gallery === g ? g.labels : [],
        workers: 0,
      });
      expect(report.counts.queries).toBe(queries.rows);
      expect(report.counts.gallery).toBe(gallery.rows);
      if (queries === q) expect(report.perQuery!.ap.every((v) => v === 0)).toBe(true);
    }
  });
});

describe('bounded path with each float32 kernel', () => {
  // Gaussian-like embeddings (many items near each threshold at this size) plus the tied set.
  const random = lcg(23);
  const normalish = () => random() + random() + random() - 1.5;
  const dim = 24;
  const g = tiedSet(257, dim, random);
  for (let i = 0; i < g.data.length / 2; i++) g.data[i] = Math.fround(normalish());
  const q = tiedSet(41, dim, random);
  for (let i = 0; i < q.data.length / 2; i++) q.data[i] = Math.fround(normalish());
  q.data.set(g.data.subarray(200 * dim, 201 * dim), 40 * dim);

  for (const fused of [false, true]) {
    for (const similarity of ['cosine', 'dot'] as const) {
      it(`equals the float64 score-matrix block bit for bit (${fused ? 'fused' : 'unfused'}, ${similarity})`, () => {
        const galleryLabels = Int32Array.from(g.labels);
        const shared = {
          galleryLabels,
          protocol: 'sklearn' as const,
          ks: [1, 10, 100],
          denominator: 'k' as const,
        };
        const bounded: BlockConfig = {
          ...shared,
          source: {
            kind: 'embeddings',
            similarity,
            gallery: createGalleryMemory(
              g.data,
              g.rows,
              dim,
              1,
              q.rows,
              true,
              compileDotKernel(fused),
            ),
            galleryNormsSq: rowNormsSquared(g.data, g.rows, dim),
            bounded: true,
          },
        };
        const reference: BlockConfig = {
          ...shared,
          source: { kind: 'scores', galleryRows: g.rows },
        };
        const task = { start: 0, count: q.rows, queryLabels: Int32Array.from(q.labels) };
        const fast = evaluateBlock(
          bounded,
          { ...task, rows: q.data },
          createBlockScratch(bounded, q.rows, 0),
        );
        const exact = evaluateBlock(
          reference,
          { ...task, rows: scoreMatrix(q, g, similarity === 'cosine') },
          createBlockScratch(reference, q.rows, 0),
        );
        expect(fast).toEqual(exact);
        expect(exact.ap.some((v) => v > 0 && v < 1)).toBe(true);
      });
    }
  }
});
