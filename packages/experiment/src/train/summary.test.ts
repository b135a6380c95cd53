import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExperimentError } from '../experiment/experiment-error.js';
import { readSummary, type Summary, writeSummary } from './summary.js';

const summary: Summary = {
  schema: 'zs-sbir/summary',
  version: 1,
  dataset: 'qd-emoji',
  protocol: 'voc',
  similarity: 'cosine',
  split: { name: 'default', seen: ['cat'], unseen: ['dog'], validation: [] },
  backbone: 'mobilenet-v2',
  sideInfo: 'both',
  rows: [
    { method: 'backbone', mAPAll: 0.25, mAPAtK: { 100: 0.5 }, precisionAtK: { 100: 0.5 } },
    { method: 'chance', mAPAll: Number.NaN, mAPAtK: { 100: 0.1 }, precisionAtK: { 100: 0.1 } },
  ],
};

describe('readSummary', () => {
  it('reads back what writeSummary wrote, NaN included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zs-sbir-summary-'));
    await writeSummary(dir, summary, {
      name: 'default',
      seen: ['cat'],
      unseen: ['dog'],
      validation: [],
    });
    expect(await readSummary(dir)).toEqual(summary);
  });

  it('names the file and the key of a damaged summary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zs-sbir-summary-'));
    const file = join(dir, 'summary.json');
    await writeSummary(dir, summary, { name: 'default', seen: [], unseen: [], validation: [] });
    const saved = JSON.parse(await readFile(file, 'utf8'));
    saved.rows[0].mAPAll = '0.25';
    await writeFile(file, JSON.stringify(saved));
    await expect(readSummary(dir)).rejects.toThrow(
      new ExperimentError(
        `${file}: key 'rows[0].mAPAll' must be a number (null for NaN), got "0.25"`,
      ),
    );
  });
});
