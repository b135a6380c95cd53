import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { integerSchema, type SkippedFile, validateJson } from '@zs-sbir/core';
import { atomicWriteFile, encodeNpy, parseNpy } from '@zs-sbir/io';
import * as v from 'valibot';
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

/** A partial batch found damaged when resuming; it counts as missing and is extracted again. */
export interface DamagedBatch {
  /** Batch index. */
  batch: number;
  /** What is wrong, naming the file, e.g. `batch-000003.npy does not match the sha256 in its record`. */
  reason: string;
}

/** What {@link BatchCache.scan} finds: the sound batches (without features) and the damaged ones. */
export interface BatchScan {
  finished: Map<number, Omit<CachedBatch, 'features'>>;
  damaged: DamagedBatch[];
}

/**
 * The completion record `batch-NNNNNN.json`: the batch's samples (one label per path), its skipped
 * files, and its `.npy` file's size in bytes and sha256 in hex.
 */
const BATCH_RECORD = v.object({
  paths: v.array(v.string()),
  labels: v.array(integerSchema({ min: 0 })),
  skipped: v.array(v.object({ path: v.string(), reason: v.string() })),
  bytes: integerSchema({ min: 0 }),
  sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a sha256 in hex')),
});
type BatchRecord = v.InferOutput<typeof BATCH_RECORD>;

const FINGERPRINT = 'fingerprint.json';
const batchName = (index: number) => `batch-${String(index).padStart(6, '0')}`;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The record in `text` (of file `name`), or what is wrong with it, naming the key. */
function parseRecord(name: string, text: string): BatchRecord | string {
  let record: BatchRecord;
  try {
    record = validateJson(BATCH_RECORD, text, { where: name, noun: 'key', error: Error });
  } catch (err) {
    return `${name} is not a completion record: ${(err as Error).message.slice(name.length + 2)}`;
  }
  if (record.labels.length !== record.paths.length) {
    return `${name} is not a completion record: ${record.paths.length} paths but ${record.labels.length} labels`;
  }
  return record;
}

const readIfPresent = <T>(read: Promise<T>) => read.catch(() => null);

/**
 * The finished batches of an interrupted extraction, one pair of files each in a folder:
 * `batch-000012.npy` (features) and its completion record `batch-000012.json` (paths, labels,
 * skipped files, and the `.npy` file's size and sha256), both written atomically, the record last.
 * A batch counts as finished only when its record is whole and its `.npy` file has the recorded
 * size and hash and holds float32 `[rows, dim]`; anything else (no record, no `.npy`, wrong size,
 * hash mismatch, unreadable `.npy`) is reported by {@link BatchCache.scan} and extracted again,
 * the new files replacing the damaged ones. The folder records a key of the run (backbone,
 * weights, pipeline, samples, batch size); a folder left by a different run is never cleared or
 * mixed in here: {@link BatchCache.open} refuses it, and the caller decides with
 * {@link BatchCache.recorded} and {@link BatchCache.clear}.
 */
export class BatchCache {
  private constructor(
    readonly dir: string,
    /** Feature length of every row. */
    readonly dim: number,
  ) {}

  /** The key recorded in `dir` by the run that made it, or `null` when there is no such folder. */
  static async recorded(dir: string): Promise<string | null> {
    return readIfPresent(readFile(join(dir, FINGERPRINT), 'utf8'));
  }

  /** How many finished batch files (`.npy`) `dir` holds; 0 when there is no such folder. */
  static async batchFiles(dir: string): Promise<number> {
    const names = await readIfPresent(readdir(dir));
    return (names ?? []).filter((n) => /^batch-\d+\.npy$/.test(n)).length;
  }

  /** Deletes the folder of another run, once its caller has decided it may go. */
  static async clear(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
  }

  /**
   * Opens (or creates) the folder for a run with this key, whose features are `dim` long.
   * @throws {BackboneError} when the folder records another key (clear it first if it may go).
   */
  static async open(dir: string, key: string, dim: number): Promise<BatchCache> {
    const recorded = await BatchCache.recorded(dir);
    if (recorded !== null && recorded !== key) {
      throw new BackboneError(
        `${dir} holds the finished batches of another extraction: finish that one, or delete the folder`,
      );
    }
    await mkdir(dir, { recursive: true });
    if (recorded === null) await atomicWriteFile(join(dir, FINGERPRINT), key);
    return new BatchCache(dir, dim);
  }

  /**
   * Checks every batch of `0..batches-1` that has a file in the folder (reading each whole).
   * @returns the sound batches' rows, paths, labels and skipped files, and the damaged batches
   *   in index order with the reason (batches with no file at all are in neither).
   */
  async scan(batches: number): Promise<BatchScan> {
    const indices = new Set<number>();
    for (const name of await readdir(this.dir)) {
      const match = /^batch-(\d+)\.(npy|json)$/.exec(name);
      if (match && Number(match[1]) < batches) indices.add(Number(match[1]));
    }
    const scan: BatchScan = { finished: new Map(), damaged: [] };
    for (const index of [...indices].sort((a, b) => a - b)) {
      const checked = await this.check(index);
      if (typeof checked === 'string') scan.damaged.push({ batch: index, reason: checked });
      else {
        const { features: _, ...meta } = checked;
        scan.finished.set(index, meta);
      }
    }
    return scan;
  }

  /** Records a finished batch (replacing any damaged one): `features` is `[paths.length, dim]`. */
  async write(index: number, batch: Omit<CachedBatch, 'rows'>): Promise<void> {
    const base = join(this.dir, batchName(index));
    const rows = batch.paths.length;
    const bytes = encodeNpy({ data: batch.features, shape: [rows, this.dim] }, `${base}.npy`);
    await atomicWriteFile(`${base}.npy`, bytes);
    const { paths, labels, skipped } = batch;
    const record: BatchRecord = {
      paths,
      labels,
      skipped,
      bytes: bytes.length,
      sha256: sha256(bytes),
    };
    await atomicWriteFile(`${base}.json`, JSON.stringify(record));
  }

  /**
   * Reads a finished batch back, checked as in {@link BatchCache.scan}.
   * @throws {BackboneError} naming the file when the batch is damaged or missing.
   */
  async read(index: number): Promise<CachedBatch> {
    const checked = await this.check(index);
    if (typeof checked === 'string') {
      throw new BackboneError(
        `${this.dir}: ${checked}; run the extraction again to re-extract that batch`,
      );
    }
    return checked;
  }

  /** Deletes the folder (after the complete store is written). */
  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  /** The batch, or what is wrong with it. */
  private async check(index: number): Promise<CachedBatch | string> {
    const name = batchName(index);
    const base = join(this.dir, name);
    const [text, bytes] = await Promise.all([
      readIfPresent(readFile(`${base}.json`, 'utf8')),
      readIfPresent(readFile(`${base}.npy`)),
    ]);
    if (text === null && bytes === null) return `${name}.npy and ${name}.json are missing`;
    if (text === null) return `${name}.npy has no completion record ${name}.json`;
    if (bytes === null) return `${name}.json has no features file ${name}.npy`;
    const record = parseRecord(`${name}.json`, text);
    if (typeof record === 'string') return record;
    if (bytes.length !== record.bytes) {
      return `${name}.npy has ${bytes.length} bytes, its record says ${record.bytes}`;
    }
    if (sha256(bytes) !== record.sha256)
      return `${name}.npy does not match the sha256 in its record`;
    const rows = record.paths.length;
    let array: ReturnType<typeof parseNpy>;
    try {
      array = parseNpy(bytes, `${name}.npy`);
    } catch (err) {
      return (err as Error).message;
    }
    if (
      !(array.data instanceof Float32Array) ||
      array.shape.length !== 2 ||
      array.shape[0] !== rows ||
      array.shape[1] !== this.dim
    ) {
      return `${name}.npy holds ${array.dtype} [${array.shape.join(', ')}], expected float32 [${rows}, ${this.dim}]`;
    }
    const { paths, labels, skipped } = record;
    return { features: array.data, rows, paths, labels, skipped };
  }
}
