import { mkdir, readdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { SkippedFile } from '@zs-sbir/core';
import { atomicWriteFile } from '@zs-sbir/io';
import { renderView, viewParams } from './augment-view.js';
import { jobFiles, type RenderJob } from './build-plan.js';
import type { DesignSource } from './design-source.js';
import { QdEmojiError } from './errors.js';
import { readQuickDrawBitmaps } from './quickdraw-bitmaps.js';
import { galleryPng, renderDesignRgba } from './render-design.js';
import { renderSketches } from './render-sketch.js';

/** What rendering one job did. */
export interface JobResult {
  /** Files rendered and written now. */
  written: number;
  /** Files already in the cache, left as they were. */
  reused: number;
  /** Files that could not be rendered, with the reason. */
  skipped: SkippedFile[];
}

/** Shared state of the jobs of one build. */
export interface RenderContext {
  source: DesignSource;
  /** Output side in pixels. */
  size: number;
  viewSeed: number;
}

/** The names in each folder of `files` (one listing a folder; none for a missing folder). */
async function folderListings(files: readonly string[]): Promise<Map<string, Set<string>>> {
  const folders = [...new Set(files.map((f) => dirname(f)))];
  const listings = await Promise.all(
    folders.map((dir) =>
      readdir(dir).then(
        (names) => new Set(names),
        () => new Set<string>(),
      ),
    ),
  );
  return new Map(folders.map((dir, i) => [dir, listings[i]!]));
}

/**
 * Renders the files of `job` that are not in the cache yet (a file that exists is whole: every
 * write is atomic). A job that fails is reported in `skipped` for each missing file, not thrown.
 */
export async function renderJob(job: RenderJob, ctx: RenderContext): Promise<JobResult> {
  const files = jobFiles(job);
  const listings = await folderListings(files);
  const missing = new Set(files.filter((f) => !listings.get(dirname(f))!.has(basename(f))));
  const result: JobResult = { written: 0, reused: files.length - missing.size, skipped: [] };
  if (missing.size === 0) return result;
  // Each folder is made once a job, not once a file.
  const folders = [...new Set([...missing].map((f) => dirname(f)))];
  const made = Promise.all(folders.map((dir) => mkdir(dir, { recursive: true })));
  // A failure surfaces at the first write (below); a job that renders nothing drops it.
  made.catch(() => undefined);
  const write = async (path: string, render: () => Promise<Buffer>): Promise<void> => {
    if (!missing.has(path)) return;
    const data = await render();
    await made;
    await atomicWriteFile(path, data);
    missing.delete(path);
    result.written++;
  };
  try {
    if (job.kind === 'sketches') {
      const bitmaps = readQuickDrawBitmaps(job.cls.quickdraw);
      if (bitmaps.length < job.files.length) {
        throw new QdEmojiError(
          `Quick, Draw! category "${job.cls.quickdraw}" has ${bitmaps.length} drawings, ` +
            `expected ${job.files.length}`,
        );
      }
      // The missing sketches of the class rendered together (a few pipelines, not one each).
      const todo = job.files.flatMap((path, i) => (missing.has(path) ? [{ path, i }] : []));
      const pngs = await renderSketches(
        todo.map((t) => bitmaps[t.i]!),
        ctx.size,
      );
      for (const [k, { path }] of todo.entries()) await write(path, async () => pngs[k]!);
    } else {
      const input = await ctx.source.load(job.set, job.icon, ctx.size);
      const design = await renderDesignRgba(input, ctx.size);
      await write(job.gallery, () => galleryPng(design));
      for (const view of job.views) {
        const params = viewParams(ctx.viewSeed, job.cls.name, job.set.id, view.index);
        await write(view.file, () => renderView(design, params));
      }
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    result.skipped.push(...[...missing].map((path) => ({ path, reason })));
  }
  return result;
}
