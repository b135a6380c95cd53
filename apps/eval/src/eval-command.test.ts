import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@zs-sbir/core';
import { writeNpy } from '@zs-sbir/io';
import { evaluateRetrieval, parseRetrievalReport } from '@zs-sbir/metrics';
import { beforeAll, describe, expect, it } from 'vitest';
import { evalProgram, parseEvalOptions, runEval } from './eval-command.js';

let dir: string;
const rng = createRng('eval');
const q = rng.fill(30 * 8, () => rng.normal());
const g = rng.fill(20 * 8, () => rng.normal());
const ql = Int32Array.from({ length: 30 }, (_, i) => i % 3);
const gl = Int32Array.from({ length: 20 }, (_, i) => i % 3);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zs-sbir-eval-'));
  await writeNpy(join(dir, 'q.npy'), { data: q, shape: [30, 8] });
  await writeNpy(join(dir, 'g.npy'), { data: g, shape: [20, 8] });
  await writeNpy(join(dir, 'ql.npy'), { data: ql, shape: [30] });
  await writeNpy(join(dir, 'gl.npy'), { data: gl, shape: [20] });
  await writeFile(join(dir, 'names.txt'), 'cat\ndog\ncow\n');
  await writeNpy(join(dir, 'empty.npy'), { data: new Float32Array(0), shape: [0, 8] });
  await writeNpy(join(dir, 'empty-labels.npy'), { data: new Int32Array(0), shape: [0] });
  // Query labels 3, 4, 5: none of them among the gallery's 0, 1, 2.
  await writeNpy(join(dir, 'other-labels.npy'), { data: ql.map((l) => l + 3), shape: [30] });
  await writeFile(join(dir, 'two-names.txt'), 'cat\ndog\n');
  await writeFile(join(dir, 'blank-line.txt'), 'cat\n\ndog\ncow\n');
  await writeFile(join(dir, 'trailing-blanks.txt'), 'cat\r\ndog\r\ncow\r\n\n\n');
  // Two queries, three gallery items (2-D, cosine). Query 0 (class 0) ranks g0 (class 0, score
  // 1), g2 (class 1, 0.707), g1 (class 0, 0): AP = (1/2)(1/1) + (1/2)(2/3) = 5/6 in both
  // protocols, P@2 = 1/2, AP@2 = 1 (sklearn: recall within the top 2) or 1/2 (voc: recall over
  // min(2, R = 2)). Query 1 (class 2) has no gallery item of its class.
  await writeNpy(join(dir, 'q2.npy'), { data: Float32Array.from([1, 0, 0, 1]), shape: [2, 2] });
  await writeNpy(join(dir, 'ql2.npy'), { data: Int32Array.from([0, 2]), shape: [2] });
  await writeNpy(join(dir, 'g3.npy'), {
    data: Float32Array.from([1, 0, 0, 1, 1, 1]),
    shape: [3, 2],
  });
  await writeNpy(join(dir, 'gl3.npy'), { data: Int32Array.from([0, 0, 1]), shape: [3] });
});

/** The four file options, each naming a file in `dir`; `change` swaps some of the files. */
const files = (change: Record<string, string> = {}) =>
  Object.entries({
    queries: 'q.npy',
    'query-labels': 'ql.npy',
    gallery: 'g.npy',
    'gallery-labels': 'gl.npy',
    ...change,
  }).flatMap(([option, file]) => [`--${option}`, join(dir, file)]);

describe('zs-sbir-eval', () => {
  it('scores .npy embeddings and writes the report, Markdown and figures', async () => {
    const out = join(dir, 'out');
    const lines: string[] = [];
    const report = await runEval(
      [
        ...files(),
        '--class-names',
        join(dir, 'names.txt'),
        '--protocol',
        'voc',
        '--ks',
        '5,10',
        '--out',
        out,
      ],
      (l) => lines.push(l),
    );
    const direct = await evaluateRetrieval({
      queries: { data: q, rows: 30, cols: 8 },
      gallery: { data: g, rows: 20, cols: 8 },
      queryLabels: ql,
      galleryLabels: gl,
      similarity: 'cosine',
      protocol: 'voc',
      ks: [5, 10],
    });
    expect(report!.mAPAll).toBe(direct.mAPAll);
    const saved = parseRetrievalReport(await readFile(join(out, 'report.json'), 'utf8'));
    expect(saved.mAPAll).toBe(direct.mAPAll);
    expect(saved.perClass.map((c) => c.name)).toEqual(['cat', 'dog', 'cow']);
    expect(await readFile(join(out, 'report.md'), 'utf8')).toContain('voc protocol');
    expect((await stat(join(out, 'pr-curve.png'))).size).toBeGreaterThan(1000);
    expect((await stat(join(out, 'class-ap.png'))).size).toBeGreaterThan(1000);
    expect(lines.at(-1)).toContain(`mAP@all ${direct.mAPAll.toFixed(4)}, P@5`);
  });

  it('names what is missing or wrong', async () => {
    const log = () => {};
    await expect(runEval(['--queries', 'q.npy'], log)).rejects.toThrow(
      'evaluating files needs --query-labels, --gallery, --gallery-labels',
    );
    await expect(runEval([], log)).rejects.toThrow('give either --checkpoint DIR or the four');
    await expect(runEval([...files(), '--ks', '0'], log)).rejects.toThrow(
      '--ks 0: expected positive integers',
    );
    await expect(runEval([...files(), '--similarity', 'l1'], log)).rejects.toThrow(
      "option '--similarity <NAME>' argument 'l1' is invalid. Allowed choices are cosine, dot, euclidean, exp-euclidean, inverse-euclidean.",
    );
    await expect(runEval([...files(), '--protocl', 'voc'], log)).rejects.toThrow(
      "unknown option '--protocl'\n(Did you mean --protocol?)",
    );
    await expect(runEval(['--checkpoint', dir], log)).rejects.toThrow(/no readable run.json/);
    await expect(runEval(files({ 'gallery-labels': 'ql.npy' }), log)).rejects.toThrow(
      `--gallery-labels ${join(dir, 'ql.npy')}: holds 30 labels; expected 20, one per row of --gallery ${join(dir, 'g.npy')}`,
    );
  });

  it('--checkpoint: a run folder without a usable best checkpoint fails before any data work', async () => {
    const run = join(dir, 'run-without-best');
    const cache = join(dir, 'cold-cache');
    await mkdir(run);
    const spec = {
      dataset: 'qd-emoji',
      backbone: 'mobilenet-v2',
      sideInfo: 'both',
      cacheDir: cache,
    };
    await writeFile(
      join(run, 'run.json'),
      JSON.stringify({
        schema: 'zs-sbir/train-run',
        version: 1,
        spec,
        protocol: 'sklearn',
        config: {},
      }),
    );
    await expect(runEval(['--checkpoint', run], () => {})).rejects.toThrow(
      `${join(run, 'checkpoints', 'best', 'checkpoint.json')}: no readable checkpoint`,
    );
    // QD-Emoji was not built: nothing was written to the cache.
    await expect(stat(cache)).rejects.toThrow(/ENOENT/);
  });

  it('refuses an empty query or gallery file before evaluating', async () => {
    const log = () => {};
    const emptyQueries = files({ queries: 'empty.npy', 'query-labels': 'empty-labels.npy' });
    await expect(runEval(emptyQueries, log)).rejects.toThrow(
      `--queries ${join(dir, 'empty.npy')}: holds 0 rows; expected at least one query embedding`,
    );
    const emptyGallery = files({ gallery: 'empty.npy', 'gallery-labels': 'empty-labels.npy' });
    await expect(runEval(emptyGallery, log)).rejects.toThrow(
      `--gallery ${join(dir, 'empty.npy')}: holds 0 rows; expected at least one gallery embedding`,
    );
  });

  it('refuses query labels that share no class with the gallery labels', async () => {
    await expect(runEval(files({ 'query-labels': 'other-labels.npy' }), () => {})).rejects.toThrow(
      `--query-labels ${join(dir, 'other-labels.npy')} and --gallery-labels ${join(dir, 'gl.npy')} share no class (query labels 3, 4, 5; gallery labels 0, 1, 2)`,
    );
  });

  it('never replaces an earlier report unless --overwrite asks, and then leaves no stale figure', async () => {
    const out = join(dir, 'out-twice');
    const log = () => {};
    await runEval([...files(), '--protocol', 'voc', '--out', out], log);
    // A figure the next evaluation (of .npy files) does not draw, as a trained run's would leave.
    await writeFile(join(out, 'retrieval-grid.png'), 'an earlier grid');
    const before = await readFile(join(out, 'report.json'), 'utf8');
    await expect(runEval([...files(), '--out', out], log)).rejects.toThrow(
      `${out} already holds a report (report.json, report.md, pr-curve.png, class-ap.png, retrieval-grid.png); --overwrite replaces it, or give another --out`,
    );
    expect(await readFile(join(out, 'report.json'), 'utf8')).toBe(before);
    // One figure alone is a report too.
    const figureOnly = join(dir, 'out-figure-only');
    await mkdir(figureOnly);
    await writeFile(join(figureOnly, 'class-ap.png'), 'a figure');
    await expect(runEval([...files(), '--out', figureOnly], log)).rejects.toThrow(
      `${figureOnly} already holds a report (class-ap.png)`,
    );
    const report = await runEval([...files(), '--out', out, '--overwrite'], log);
    expect(report!.protocol).toBe('sklearn');
    expect(parseRetrievalReport(await readFile(join(out, 'report.json'), 'utf8')).protocol).toBe(
      'sklearn',
    );
    await expect(stat(join(out, 'retrieval-grid.png'))).rejects.toThrow('ENOENT');
  });

  it('refuses class names that do not cover the labels, or skip a line', async () => {
    const log = () => {};
    const names = (file: string) => [...files(), '--class-names', join(dir, file)];
    await expect(runEval(names('two-names.txt'), log)).rejects.toThrow(
      `--class-names ${join(dir, 'two-names.txt')}: holds 2 names; expected at least 3, one per label 0..2 (the largest label, in --query-labels ${join(dir, 'ql.npy')})`,
    );
    await expect(runEval(names('blank-line.txt'), log)).rejects.toThrow(
      `--class-names ${join(dir, 'blank-line.txt')}: line 2 is blank`,
    );
    const out = join(dir, 'out-names');
    const report = await runEval([...names('trailing-blanks.txt'), '--out', out], log);
    expect(report!.perClass.map((c) => c.name)).toEqual(['cat', 'dog', 'cow']);
  });

  it('counts and reports queries whose class is not in the gallery', async () => {
    const small = { queries: 'q2.npy', 'query-labels': 'ql2.npy' };
    const args = (protocol: string, out: string) => [
      ...files({ ...small, gallery: 'g3.npy', 'gallery-labels': 'gl3.npy' }),
      '--ks',
      '2',
      '--protocol',
      protocol,
      '--out',
      join(dir, out),
    ];
    const expected = {
      sklearn: { mAPAll: 5 / 12, mAP2: 1 / 2, warning: 'counts them as 0 in every mean' },
      voc: { mAPAll: 5 / 6, mAP2: 1 / 2, warning: 'leaves them out of the mAPs' },
    };
    for (const protocol of ['sklearn', 'voc'] as const) {
      const lines: string[] = [];
      const report = await runEval(args(protocol, `out-${protocol}`), (l) => lines.push(l));
      expect(report!.mAPAll).toBeCloseTo(expected[protocol].mAPAll, 12);
      expect(report!.mAPAtK[2]).toBeCloseTo(expected[protocol].mAP2, 12);
      expect(report!.precisionAtK[2]).toBeCloseTo(1 / 4, 12);
      expect(lines.filter((l) => l.startsWith('warning:'))).toEqual([
        expect.stringContaining(
          `warning: 1 of 2 queries have no relevant gallery item (their class is not among the gallery labels); the ${protocol} protocol ${expected[protocol].warning}`,
        ),
      ]);
      const saved = parseRetrievalReport(
        await readFile(join(dir, `out-${protocol}`, 'report.json'), 'utf8'),
      );
      expect(saved.counts).toEqual({
        queries: 2,
        gallery: 3,
        classes: 2,
        queriesWithoutRelevant: 1,
      });
      expect(await readFile(join(dir, `out-${protocol}`, 'report.md'), 'utf8')).toContain(
        '2 queries, 3 gallery items, 2 query classes (1 queries have no relevant item)',
      );
    }
  });

  it('prints no warning when every query has a relevant item', async () => {
    const lines: string[] = [];
    await runEval([...files(), '--out', join(dir, 'out-plain')], (l) => lines.push(l));
    expect(lines.some((l) => l.startsWith('warning:'))).toBe(false);
  });

  it('--help prints the generated help, with every option, its choices and help text', () => {
    let help = '';
    expect(parseEvalOptions(['--help'], { writeOut: (text) => (help += text) })).toBeNull();
    expect(help).toBe(evalProgram().helpInformation());
    expect(help).toMatch(/^Usage: zs-sbir-eval \(--checkpoint RUN_DIR \| --queries Q\.npy/);
    for (const option of evalProgram().options) expect(help).toContain(option.flags);
    expect(help).toContain('--query-labels <FILE.npy>');
    expect(help).toContain('query class labels [queries]');
    // Long lines wrap at the terminal's width.
    expect(help.replace(/\s+/g, ' ')).toContain(
      'evaluator rules (default sklearn) (choices: "sklearn", "voc")',
    );
  });
});
