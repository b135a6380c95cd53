import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SkippedFile } from '@zs-sbir/core';
import { atomicWriteFile, readNpy, writeNpy } from '@zs-sbir/metrics';
import { BackboneError } from './backbone-error.js';

/** One finished batch of an extraction. */
export interface CachedBatch {
  /** `[rows, dim]` row-major. */
  features: Float32Array;
  rows: number;
  paths: string[];
  labels: number[];
  skipped: SkippedFile[];
}

const FINGERPRINT = 'fingerprint.json';
const batchName = (index: number) => `batch-${String(index).padStart(6, '0')}`;

/**
 * The finished batches of an interrupted extraction, one pair of files each in a folder:
 * `batch-000012.npy` (features) and `batch-000012.json` (paths, labels, skipped files), both
 * written atomically, the JSON last, so a batch counts as finished only once both are whole. The
 * folder records a fingerprint of the run (backbone, weights, pipeline, samples); a folder left by
 * a different run is cleared rather than mixed in.
 */
export class BatchCache {
  private constructor(readonly dir: string) {}

  /** Opens (or creates) the folder for a run with this fingerprint. */
  static async open(dir: string, fingerprint: string): Promise<BatchCache> {
    const recorded = await readFile(join(dir, FINGERPRINT), 'utf8').catch(() => null);
    if (recorded !== null && recorded !== fingerprint)
      await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    if (recorded !== fingerprint) await atomicWriteFile(join(dir, FINGERPRINT), fingerprint);
    return new BatchCache(dir);
  }

  /** Indices of the finished batches. */
  async finished(): Promise<Set<number>> {
    const names = await readdir(this.dir);
    const done = new Set<number>();
    for (const name of names) {
      const match = /^batch-(\d+)\.json$/.exec(name);
      if (match && names.includes(name.replace(/\.json$/, '.npy'))) done.add(Number(match[1]));
    }
    return done;
  }

  /** Records a finished batch: `features` is `[paths.length, dim]`. */
  async write(index: number, dim: number, batch: Omit<CachedBatch, 'rows'>): Promise<void> {
    const rows = batch.paths.length;
    await writeNpy(join(this.dir, `${batchName(index)}.npy`), {
      data: batch.features,
      shape: [rows, dim],
    });
    const { paths, labels, skipped } = batch;
    await atomicWriteFile(
      join(this.dir, `${batchName(index)}.json`),
      JSON.stringify({ paths, labels, skipped }),
    );
  }

  /** Reads a finished batch's rows, paths, labels and skipped files (not its features). */
  async readMeta(index: number): Promise<Omit<CachedBatch, 'features'>> {
    const text = await readFile(join(this.dir, `${batchName(index)}.json`), 'utf8');
    const meta = JSON.parse(text) as Omit<CachedBatch, 'features' | 'rows'>;
    return { ...meta, rows: meta.paths.length };
  }

  /** Reads a finished batch back. */
  async read(index: number): Promise<CachedBatch> {
    const base = join(this.dir, batchName(index));
    const array = await readNpy(`${base}.npy`);
    const meta = JSON.parse(await readFile(`${base}.json`, 'utf8')) as Omit<
      CachedBatch,
      'features' | 'rows'
    >;
    if (!(array.data instanceof Float32Array) || array.shape[0] !== meta.paths.length) {
      throw new BackboneError(
        `${base}.npy does not hold float32 features for the ${meta.paths.length} samples of ${base}.json: delete the folder ${this.dir} to start over`,
      );
    }
    return { ...meta, features: array.data, rows: meta.paths.length };
  }

  /** Deletes the folder (after the complete store is written). */
  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
