import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { imageBatches } from '@zs-sbir/data';
import { ANN_THRESHOLD, type AnnIndex, annIndexFor, createAnnIndex } from './ann.js';
import { type GalleryFile, labelOf, listGalleryFiles } from './gallery-files.js';
import { addRows, deleteRows, indexedFiles, openGalleryTable } from './gallery-table.js';
import {
  INDEX_FILES,
  type IndexManifest,
  type IndexOwner,
  readBuildOwner,
  readIndexManifest,
  writeBuildOwner,
  writeIndexManifest,
} from './index-manifest.js';
import { loadRunModel, type RunIdentity, readRunIdentity } from './run-model.js';
import { SearchError } from './search-error.js';

/** Progress of {@link buildIndex}, reported after the scan and after every batch. */
export interface BuildProgress {
  /** Photos in the folder. */
  total: number;
  /** Photos indexed (reused from an earlier build or embedded now) or skipped, so far. */
  done: number;
  /** Photos embedded by this call so far. */
  embedded: number;
  /** Photos found in the index, unchanged, and kept without embedding. */
  reused: number;
  /** Unreadable files so far. */
  skipped: number;
}

/** Options of {@link buildIndex}. */
export interface BuildIndexOptions {
  /** A `zs-sbir-train` run folder (`run.json` and `checkpoints/best`). */
  run: string;
  /** The folder of photos, searched recursively. */
  images: string;
  /** The index folder: new, empty, or an index of the same run and folder (then updated). */
  out: string;
  /** Called after the scan and after every batch; throwing from it stops the build (resumable). */
  onProgress?: (progress: BuildProgress) => void;
  /** Stops after the batch in flight; the next build with the same options continues. */
  signal?: AbortSignal;
  /** Photos embedded and written at once; default 32. */
  batchSize?: number;
  /**
   * `auto` (default): an IVF-PQ index from {@link ANN_THRESHOLD} photos, exact search below;
   * `true`/`false` force it on/off.
   */
  ann?: 'auto' | boolean;
}

/** What {@link buildIndex} did. */
export interface BuildIndexResult {
  manifest: IndexManifest;
  /** Photos embedded by this call. */
  embedded: number;
  /** Photos kept from the earlier build (unchanged size and mtime). */
  reused: number;
  /** Rows removed: photos deleted or changed since the earlier build. */
  removed: number;
  /** Unreadable files, with the reason (also in the manifest). */
  skipped: { path: string; reason: string }[];
}

const isDir = (path: string) =>
  stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );

/** Why `owner` (of an existing index folder) is not `wanted`, or null when it is the same. */
function ownerDifference(owner: IndexOwner, wanted: IndexOwner): string | null {
  if (owner.images !== wanted.images) return `the photos of ${owner.images}`;
  if (owner.run.dir !== wanted.run.dir) return `the run ${owner.run.dir}`;
  if (owner.run.checkpoint !== wanted.run.checkpoint) {
    return `an earlier training of ${owner.run.dir} (its best checkpoint changed since)`;
  }
  return null;
}

/**
 * Checks that `out` may be written for `wanted`: missing, empty, or an index (finished or
 * interrupted) of the same run checkpoint and photo folder.
 * @throws SearchError (option `out`) otherwise; nothing is removed.
 */
async function checkOut(out: string, wanted: IndexOwner): Promise<void> {
  const exists = await stat(out).then(
    (s) => s,
    () => null,
  );
  if (!exists) return;
  if (!exists.isDirectory()) throw new SearchError('out', `${out}: exists and is not a folder`);
  const owner = (await readBuildOwner(out)) ?? (await readIndexManifest(out, 'out'));
  if (!owner) {
    if ((await readdir(out)).length === 0) return;
    throw new SearchError(
      'out',
      `${out}: exists and is not a zs-sbir-search index; nothing was changed: choose a new or empty folder`,
    );
  }
  const why = ownerDifference(owner, wanted);
  if (why) {
    throw new SearchError(
      'out',
      `${out}: holds an index of ${why}, not of ${wanted.images} with the run ${wanted.run.dir}; nothing was changed: choose another folder, or delete this one to rebuild it`,
    );
  }
}

/** The files to embed, the rows to delete and the count kept, comparing disk and table. */
function plan(files: GalleryFile[], indexed: GalleryFile[]) {
  const onDisk = new Map(files.map((f) => [f.path, f]));
  const kept = new Set<string>();
  const stale: string[] = [];
  for (const row of indexed) {
    const f = onDisk.get(row.path);
    if (f && f.size === row.size && f.mtime === row.mtime && !kept.has(row.path))
      kept.add(row.path);
    else stale.push(row.path);
  }
  return { todo: files.filter((f) => !kept.has(f.path)), stale, reused: kept.size };
}

/**
 * Embeds every photo under `images` with a trained run's image branch (the run's backbone and
 * preprocessing, then `model.embed('image', ...)`) and stores path, vector, label (parent
 * folder), size and mtime in a LanceDB table in `out`.
 *
 * - Resumable: rows are written batch by batch; a build stopped by `signal`, a throwing
 *   `onProgress` or a crash continues with the next call, embedding only what is missing.
 * - Incremental: a rebuild embeds added and changed photos (size or mtime differs), drops
 *   removed ones and keeps the rest.
 * - Atomic: `index.json` (what `openIndex` reads) names the table version of a finished build
 *   and is replaced in one rename at the end; an interrupted (re)build leaves the earlier
 *   finished index searchable as it was.
 * - Safe: `out` must be new, empty, or an index of the same run and folder; nothing is deleted
 *   otherwise. Unreadable files are skipped and listed (result and manifest).
 *
 * The TensorFlow.js backend is whatever is active: apps call `initBackend()` of `@zs-sbir/core`
 * first.
 *
 * @throws SearchError naming the option (`run`, `images`, `out`, `batchSize`) before any work;
 *   when stopped, a SearchError saying so (the rows written stay for the next call).
 */
export async function buildIndex(options: BuildIndexOptions): Promise<BuildIndexResult> {
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new SearchError('batchSize', `${batchSize}: expected a positive integer`);
  }
  const run: RunIdentity = await readRunIdentity(options.run);
  const images = resolve(options.images);
  if (!(await isDir(images))) {
    throw new SearchError(
      'images',
      `${options.images}: no such folder (expected a folder of photos)`,
    );
  }
  const files = await listGalleryFiles(images);
  if (files.length === 0) {
    throw new SearchError(
      'images',
      `${options.images}: no image files (jpg, jpeg, png, webp, ...) in it or its subfolders`,
    );
  }
  const out = resolve(options.out);
  const owner: IndexOwner = { run, images };
  await checkOut(out, owner);

  await mkdir(out, { recursive: true });
  await writeBuildOwner(out, owner);
  const { db, table } = await openGalleryTable(out, run.dim);
  try {
    const { todo, stale, reused } = plan(files, await indexedFiles(table));
    await deleteRows(table, stale);
    const skipped: { path: string; reason: string }[] = [];
    let embedded = 0;
    const report = () =>
      options.onProgress?.({
        total: files.length,
        done: reused + embedded + skipped.length,
        embedded,
        reused,
        skipped: skipped.length,
      });
    report();
    if (todo.length > 0) {
      const model = await loadRunModel(options.run, run);
      try {
        const samples = todo.map((f) => ({ path: join(images, f.path), label: 0 }));
        const byPath = new Map(todo.map((f, i) => [samples[i]!.path, f]));
        for await (const batch of imageBatches(samples, {
          ...model.imageOptions,
          batchSize,
          concurrency: 4,
        })) {
          if (options.signal?.aborted) break;
          const vectors = await model.embed('image', batch.data, batch.count);
          await addRows(
            table,
            batch.samples.map((s, i) => {
              const f = byPath.get(s.path)!;
              return {
                ...f,
                vector: vectors.subarray(i * run.dim, (i + 1) * run.dim),
                label: labelOf(f.path) ?? null,
              };
            }),
          );
          embedded += batch.count;
          for (const s of batch.skipped)
            skipped.push({ path: byPath.get(s.path)!.path, reason: s.reason });
          report();
        }
      } finally {
        await model.dispose();
      }
      if (options.signal?.aborted) {
        throw new SearchError(
          undefined,
          `index build stopped after ${reused + embedded} of ${files.length} photos; the same build continues where it stopped`,
        );
      }
    }
    const count = await table.countRows();
    const wantAnn =
      options.ann === undefined || options.ann === 'auto' ? count >= ANN_THRESHOLD : options.ann;
    const changed = stale.length > 0 || embedded > 0;
    if (changed) await table.optimize();
    const ann: AnnIndex | null = wantAnn && count > 0 ? annIndexFor(count, run.dim) : null;
    const previous = await readIndexManifest(out, 'out');
    const annKept = !changed && JSON.stringify(previous?.ann) === JSON.stringify(ann);
    if (ann && !annKept) await createAnnIndex(table, ann);
    const manifest: IndexManifest = {
      schema: 'zs-sbir/search-index',
      version: 1,
      run,
      images,
      tableVersion: await table.version(),
      count,
      dim: run.dim,
      skipped,
      ann,
      builtAt: new Date().toISOString(),
    };
    await writeIndexManifest(out, manifest);
    await rm(join(out, INDEX_FILES.building), { force: true });
    return { manifest, embedded, reused, removed: stale.length, skipped };
  } finally {
    table.close();
    db.close();
  }
}
