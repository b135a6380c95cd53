import { access } from 'node:fs/promises';
import type { SkippedFile } from '@zs-sbir/core';
import { writeFileAtomic } from './atomic-write.js';
import { renderView, viewParams } from './augment-view.js';
import { jobFiles, type RenderJob } from './build-plan.js';
import type { DesignSource } from './design-source.js';
import { QdEmojiError } from './errors.js';
import { readQuickDrawBitmaps } from './quickdraw-bitmaps.js';
import { galleryPng, renderDesignRgba } from './render-design.js';
import { renderSketch } from './render-sketch.js';

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

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Renders the files of `job` that are not in the cache yet (a file that exists is whole: every
 * write is atomic). A job that fails is reported in `skipped` for each missing file, not thrown.
 */
export async function renderJob(job: RenderJob, ctx: RenderContext): Promise<JobResult> {
  const files = jobFiles(job);
  const present = await Promise.all(files.map(exists));
  const missing = new Set(files.filter((_, i) => !present[i]));
  const result: JobResult = { written: 0, reused: files.length - missing.size, skipped: [] };
  if (missing.size === 0) return result;
  const write = async (path: string, render: () => Promise<Buffer>): Promise<void> => {
    if (!missing.has(path)) return;
    await writeFileAtomic(path, await render());
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
      for (const [i, path] of job.files.entries()) {
        await write(path, () => renderSketch(bitmaps[i]!, ctx.size));
      }
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
