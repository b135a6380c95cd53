import { describe, expect, it } from 'vitest';
import { packSigns } from './binary-codes.js';
import { evaluateRetrieval } from './evaluate-retrieval.js';
import { type ExpectedEvaluation, evaluation, matrix } from './evaluation-fixture.testkit.js';
import { MetricsError } from './metrics-error.js';
import type { Protocol } from './protocol.js';
import { parseRetrievalReport, type RetrievalReport } from './retrieval-report.js';
import { SIMILARITIES } from './similarity.js';

const TOL = 1e-12;
const queries = matrix(evaluation.queries);
const gallery = matrix(evaluation.gallery);
const labels = { queryLabels: evaluation.queryLabels, galleryLabels: evaluation.galleryLabels };
const ks = evaluation.ks;

function near(actual: number, expected: number | null): boolean {
  return expected === null ? Number.isNaN(actual) : Math.abs(actual - expected) <= TOL;
}

function expectReport(report: RetrievalReport, want: ExpectedEvaluation, what: string): void {
  const checks: [string, number, number | null][] = [
    ['mAPAll', report.mAPAll, want.mAPAll],
    ['mAPAllClassAveraged', report.mAPAllClassAveraged, want.mAPAllClassAveraged],
    ...ks.map((k): [string, number, number] => [`mAP@${k}`, report.mAPAtK[k]!, want.mAPAtK[k]!]),
    ...ks.map((k): [string, number, number] => [
      `P@${k}`,
      report.precisionAtK[k]!,
      want.precisionAtK[k]!,
    ]),
    ...report.perClass.map((c, i): [string, number, number | null] => [
      `class ${c.label}`,
      c.mAP,
      want.perClassMAP[i]!,
    ]),
    ...report.perQuery!.ap.map((v, i): [string, number, number | null] => [
      `query ${i}`,
      v,
      want.perQueryAP[i]!,
    ]),
    ...report.prCurve.raw.precision.map((v, i): [string, number, number] => [
      `raw PR ${i}`,
      v,
      want.prRaw[i]!,
    ]),
    ...report.prCurve.interpolated.precision.map((v, i): [string, number, number] => [
      `11-point PR ${i}`,
      v,
      want.prInterpolated[i]!,
    ]),
  ];
  for (const [name, actual, expected] of checks) {
    expect(near(actual, expected), `${what} ${name}: expected ${expected}, got ${actual}`).toBe(
      true,
    );
  }
}

describe('evaluateRetrieval', () => {
  for (const similarity of SIMILARITIES) {
    for (const protocol of ['sklearn', 'voc'] as Protocol[]) {
      it(`matches the numpy/scikit-learn reference: ${similarity}, ${protocol}`, async () => {
        const report = await evaluateRetrieval({
          queries,
          gallery,
          ...labels,
          similarity,
          protocol,
          ks,
          workers: 0,
        });
        expectReport(
          report,
          evaluation.bySimilarity[similarity]![protocol],
          `${similarity}/${protocol}`,
        );
        expect(report.similarity).toBe(similarity);
        expect(report.protocol).toBe(protocol);
      });
    }
  }

  for (const protocol of ['sklearn', 'voc'] as Protocol[]) {
    it(`matches the reference on a heavily tied score matrix (${protocol})`, async () => {
      const { tied } = evaluation;
      const report = await evaluateRetrieval({
        scores: {
          data: Float64Array.from(tied.scores.flat()),
          rows: tied.scores.length,
          cols: tied.scores[0]!.length,
        },
        queryLabels: tied.queryLabels,
        galleryLabels: Int32Array.from(tied.galleryLabels),
        protocol,
        ks,
      });
      expectReport(report, tied.results[protocol], `tied/${protocol}`);
      expect(report.similarity).toBe('precomputed');
    });
  }

  it('counts queries, gallery items, classes and queries without a relevant item', async () => {
    const report = await evaluateRetrieval({ queries, gallery, ...labels, ks, workers: 0 });
    expect(report.counts).toEqual({
      queries: 12,
      gallery: 32,
      classes: 5,
      queriesWithoutRelevant: 1,
    });
    expect(report.perClass.map((c) => [c.label, c.queries, c.relevant])).toEqual([
      [0, 2, 8],
      [1, 3, 8],
      [2, 3, 8],
      [3, 3, 8],
      [9, 1, 0],
    ]);
    expect(report.prCurve.interpolated.recall).toEqual([
      0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1,
    ]);
    expect(report.prCurve.raw.recall[0]).toBe(0.01);
    expect(report.prCurve.raw.recall[99]).toBe(1);
  });

  it('gives the same results for any block size and reports progress per block', async () => {
    const whole = await evaluateRetrieval({ queries, gallery, ...labels, ks, workers: 0 });
    const progress: number[] = [];
    const blocks = await evaluateRetrieval({
      queries,
      gallery,
      ...labels,
      ks,
      workers: 0,
      blockSize: 5,
      onProgress: ({ done, total }) => progress.push(done / total),
    });
    expect(blocks).toEqual(whole);
    expect(progress).toEqual([5 / 12, 10 / 12, 1]);
  });

  it('names class labels and can leave per-query values out', async () => {
    const report = await evaluateRetrieval({
      queries,
      gallery,
      ...labels,
      classNames: ['cat', 'dog', 'cow', 'owl'],
      perQuery: false,
    });
    expect(report.perClass.map((c) => c.name)).toEqual(['cat', 'dog', 'cow', 'owl', undefined]);
    expect(report.perQuery).toBeUndefined();
    expect(Object.keys(report.mAPAtK)).toEqual(['100', '200']);
  });

  it('round-trips through JSON, NaN included', async () => {
    const report = await evaluateRetrieval({ queries, gallery, ...labels, protocol: 'voc' });
    expect(report.perQuery!.ap[10]).toBeNaN();
    const text = JSON.stringify(report);
    expect(text).toContain('"schema":"zs-sbir/retrieval-report","version":1');
    expect(parseRetrievalReport(text)).toEqual(report);
    expect(() => parseRetrievalReport('{"schema":"other"}')).toThrow(/not a retrieval report/);
    expect(() => parseRetrievalReport('{"schema":"zs-sbir/retrieval-report","version":2}')).toThrow(
      "parseRetrievalReport: key 'version' must be 1 (the report version this package reads), got 2",
    );
  });

  it('refuses a damaged report, naming the source and the key', async () => {
    const report = await evaluateRetrieval({ queries, gallery, ...labels, protocol: 'voc' });
    const damaged = JSON.parse(JSON.stringify(report));
    damaged.counts.queries = 'twelve';
    expect(() => parseRetrievalReport(JSON.stringify(damaged), 'runs/a/report.json')).toThrow(
      new MetricsError(
        `runs/a/report.json: key 'counts.queries' must be an integer >= 0, got "twelve"`,
      ),
    );
    damaged.counts.queries = 12;
    damaged.perQuery.ap[3] = 'x';
    expect(() => parseRetrievalReport(JSON.stringify(damaged))).toThrow(
      `parseRetrievalReport: key 'perQuery.ap[3]' must be a number (null for NaN), got "x"`,
    );
    delete damaged.perQuery;
    delete damaged.prCurve;
    expect(() => parseRetrievalReport(JSON.stringify(damaged))).toThrow(
      "parseRetrievalReport: key 'prCurve' is required",
    );
    expect(() => parseRetrievalReport('{"schema":', 'r.json')).toThrow(/^r\.json: not valid JSON/);
  });

  it('ranks binary codes by Hamming distance like the equivalent score matrix', async () => {
    const bits = 8;
    const q = packSigns(
      evaluation.queries.flatMap((r) => [...r, -r[0]!, r[1]!]),
      12,
      bits,
    );
    const g = packSigns(
      evaluation.gallery.flatMap((r) => [...r, -r[0]!, r[1]!]),
      32,
      bits,
    );
    const hamming = new Float64Array(12 * 32);
    for (let i = 0; i < 12; i++) {
      for (let j = 0; j < 32; j++) {
        let d = 0;
        for (let b = 0; b < bits; b++) d += ((q.words[i]! ^ g.words[j]!) >>> b) & 1;
        hamming[i * 32 + j] = -d;
      }
    }
    const fromCodes = await evaluateRetrieval({ queries: q, gallery: g, ...labels, ks });
    const fromScores = await evaluateRetrieval({
      scores: { data: hamming, rows: 12, cols: 32 },
      ...labels,
      ks,
    });
    expect(fromCodes.similarity).toBe('hamming');
    expect({ ...fromCodes, similarity: 'precomputed' }).toEqual(fromScores);
  });

  it('handles no queries and an empty gallery', async () => {
    const none = await evaluateRetrieval({
      queries: { data: new Float32Array(0), rows: 0, cols: 6 },
      gallery,
      queryLabels: [],
      galleryLabels: labels.galleryLabels,
    });
    expect(none.counts).toEqual({ queries: 0, gallery: 32, classes: 0, queriesWithoutRelevant: 0 });
    expect(none.mAPAll).toBeNaN();
    const empty = await evaluateRetrieval({
      queries,
      gallery: { data: new Float32Array(0), rows: 0, cols: 6 },
      queryLabels: labels.queryLabels,
      galleryLabels: [],
      ks: [5],
    });
    expect(empty.counts.queriesWithoutRelevant).toBe(12);
    expect([empty.mAPAll, empty.mAPAtK[5], empty.precisionAtK[5]]).toEqual([0, 0, 0]);
  });

  it('names the query and gallery item of a NaN score', async () => {
    const data = new Float32Array(3 * 4).fill(0.5);
    data[2 * 4 + 1] = Number.NaN;
    const run = evaluateRetrieval({
      scores: { data, rows: 3, cols: 4 },
      queryLabels: [0, 1, 0],
      galleryLabels: [0, 1, 0, 1],
    });
    await expect(run).rejects.toThrow(MetricsError);
    await expect(run).rejects.toThrow(/query 2 has score NaN for gallery item 1/);
  });

  it('refuses mismatched shapes, labels and unknown options', async () => {
    const bad: [Parameters<typeof evaluateRetrieval>[0], RegExp][] = [
      [
        { queries, gallery, queryLabels: [1], galleryLabels: labels.galleryLabels },
        /queryLabels has 1 labels for 12 rows/,
      ],
      [
        { queries, gallery: { ...gallery, cols: 5 }, ...labels },
        /gallery has 192 values, not rows x cols = 32 x 5/,
      ],
      [
        { queries, gallery: matrix([[1, 2]]), ...labels, galleryLabels: [0] },
        /queries have 6 dimensions but gallery items 2/,
      ],
      [
        { queries, gallery, ...labels, similarity: 'l1' as never },
        /evaluateRetrieval: option 'similarity' must be one of cosine, dot, .*, got "l1"/,
      ],
      [
        { queries, gallery, ...labels, protocol: 'map' as never },
        /option 'protocol' must be one of sklearn, voc, got "map"/,
      ],
      [{ queries, gallery, ...labels, ks: [0] }, /k must be a positive integer, got 0/],
      [
        { queries, gallery, ...labels, topK: 5 } as never,
        /evaluateRetrieval: unknown option 'topK'; valid options are queryLabels/,
      ],
      [
        { queries, gallery, ...labels, queryLabels: labels.queryLabels.map((l) => l + 0.5) },
        /queryLabels\[0\] is 0.5/,
      ],
      [{ queries, gallery, ...labels, workers: -1 }, /workers must be 'auto' or an integer >= 0/],
    ];
    for (const [options, message] of bad) {
      await expect(evaluateRetrieval(options)).rejects.toThrow(message);
    }
  });

  it('refuses worker threads when the built worker file is missing (running from sources)', async () => {
    await expect(evaluateRetrieval({ queries, gallery, ...labels, workers: 2 })).rejects.toThrow(
      /evaluate-worker\.js not found; build the package or use workers: 0/,
    );
  });
});
