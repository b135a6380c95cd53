import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@zs-sbir/core';
import { evaluateRetrieval, parseRetrievalReport, writeNpy } from '@zs-sbir/metrics';
import { beforeAll, describe, expect, it } from 'vitest';
import { runEval } from './eval-command.js';

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
});

const files = () => [
  '--queries',
  join(dir, 'q.npy'),
  '--query-labels',
  join(dir, 'ql.npy'),
  '--gallery',
  join(dir, 'g.npy'),
  '--gallery-labels',
  join(dir, 'gl.npy'),
];

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
      '--similarity l1: expected one of',
    );
    await expect(runEval(['--checkpoint', dir], log)).rejects.toThrow(/no readable run.json/);
    await expect(
      runEval([...files().slice(0, 6), '--gallery-labels', join(dir, 'ql.npy')], log),
    ).rejects.toThrow(/galleryLabels/);
  });
});
