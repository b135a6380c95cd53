import { availableParallelism } from 'node:os';
import {
  type Dataset,
  integerSchema,
  numberSchema,
  type Sample,
  type SkippedFile,
  type Split,
  validate,
} from '@zs-sbir/core';
import type { WordNetSimilarity } from '@zs-sbir/data';
import pLimit from 'p-limit';
import * as v from 'valibot';
import { markerPath, readMarker, writeMarker } from './build-marker.js';
import { interleaveJobs, jobFiles, planBuild } from './build-plan.js';
import { buildDir } from './cache-dir.js';
import { selectClasses } from './class-list.js';
import { DesignSource } from './design-source.js';
import { QdEmojiError } from './errors.js';
import { gloveVectors } from './glove.js';
import { renderJob } from './render-job.js';
import { DEFAULT_SPLIT, groupedRandomSplit, restrictSplit } from './split.js';
import { wordnetEmbeddings } from './wordnet-semantics.js';

/**
 * Progress of a build, reported after each render job (a class's sketches or one design). Jobs
 * differ in size (a class's sketches are 100 files, a design 1-4): `written + reused + skipped`
 * of `files` is the steadier measure of how far the build is.
 */
export interface QdEmojiProgress {
  /** Jobs finished so far. */
  done: number;
  total: number;
  /** Files of the whole build (rendered, found in the cache or skipped once it ends). */
  files: number;
  /** Files rendered so far in this call. */
  written: number;
  /** Files found in the cache so far. */
  reused: number;
  /** Files that could not be rendered so far. */
  skipped: number;
  /** True when the whole build was found complete in the cache and nothing was checked. */
  fromCache: boolean;
}

/** Options of {@link loadQdEmoji}. */
export interface QdEmojiOptions {
  /** Cache root; default `$ZS_SBIR_CACHE`, else `~/.cache/zs-sbir`. Files go under `qd-emoji/<version>/`. */
  cacheDir?: string;
  /** Undefined: the committed default split `qd-emoji-default`; a number: {@link groupedRandomSplit}. */
  splitSeed?: number;
  /** Augmented training views per design of the seen and validation classes; default 3. */
  views?: number;
  /** Seed of the augmentations; default 0. */
  viewSeed?: number;
  /** Side of every rendered image in pixels (32-1024); default 224. */
  size?: number;
  /** Build only these classes (normalised names), e.g. for quick tests; default all. */
  classes?: readonly string[];
  /** Render jobs in flight; default twice the available cores. */
  concurrency?: number;
  onProgress?: (progress: QdEmojiProgress) => void;
}

/** The built benchmark. */
export interface QdEmoji {
  /**
   * `sketches`: 100 Quick, Draw! drawings per class (greyscale PNG, black on white); `images`: the
   * evaluation gallery, every colour design of a class once (RGB PNG on white); labels index
   * `classes` (all classes of the build, sorted).
   */
  dataset: Dataset;
  split: Split;
  /** Seeded augmented views of the designs of the `seen` and `validation` classes, never in the gallery. */
  trainViews: Sample[];
  semantics: {
    /** Class -> `[100]` GloVe vector. */
    glove: Map<string, Float32Array>;
    /**
     * WordNet hierarchy embeddings of the build's classes (see `wordnetEmbeddings`), computed
     * when called (about a second); `similarity` defaults to `path`.
     */
    wordnet: (similarity?: WordNetSimilarity) => Promise<Map<string, Float32Array>>;
  };
  /** The build folder the files are in. */
  dir: string;
}

const OPTIONS = v.strictObject({
  cacheDir: v.optional(v.string()),
  splitSeed: v.optional(numberSchema()),
  views: v.optional(integerSchema({ min: 0, max: 1000 })),
  viewSeed: v.optional(integerSchema({ min: 0, max: Number.MAX_SAFE_INTEGER })),
  size: v.optional(integerSchema({ min: 32, max: 1024 })),
  classes: v.optional(v.array(v.string())),
  concurrency: v.optional(integerSchema({ min: 1, max: 256 })),
  onProgress: v.optional(v.function()),
});

function checkOptions(options: QdEmojiOptions): void {
  validate(OPTIONS, options, { where: 'loadQdEmoji', error: QdEmojiError });
}

/**
 * Builds (first call) or loads (later calls) the QD-Emoji benchmark: Quick, Draw! sketches against
 * colour emoji by 11 design sets over about 160 classes, with a zero-shot split and GloVe class
 * vectors. Rendering writes every file atomically into the cache and a complete-marker last, so an
 * interrupted build resumes and a finished one returns without rendering or checking files.
 * At most `concurrency` render jobs run at once; if one throws (or `onProgress` does), the call
 * rejects with the first such error only after every job has settled, so nothing still writes.
 *
 * @throws QdEmojiError for bad options or unknown classes.
 */
export async function loadQdEmoji(options: QdEmojiOptions = {}): Promise<QdEmoji> {
  checkOptions(options);
  const size = options.size ?? 224;
  const views = options.views ?? 3;
  const viewSeed = options.viewSeed ?? 0;
  const classes = selectClasses(options.classes);
  const names = classes.map((c) => c.name);
  const split = restrictSplit(
    options.splitSeed === undefined ? DEFAULT_SPLIT : groupedRandomSplit(names, options.splitSeed),
    names,
  );
  const dir = buildDir(size, options.cacheDir);
  const plan = planBuild(classes, new Set([...split.seen, ...split.validation]), {
    dir,
    views,
    viewSeed,
  });
  const files = plan.jobs.flatMap(jobFiles);
  const marker = markerPath(dir, files);
  const progress: QdEmojiProgress = {
    done: 0,
    total: plan.jobs.length,
    files: files.length,
    written: 0,
    reused: 0,
    skipped: 0,
    fromCache: false,
  };
  let skipped: SkippedFile[] = [];
  const cached = await readMarker(marker);
  if (cached) {
    skipped = cached.skipped;
    Object.assign(progress, {
      done: progress.total,
      reused: files.length - skipped.length,
      skipped: skipped.length,
      fromCache: true,
    });
    options.onProgress?.({ ...progress });
  } else {
    const ctx = { source: new DesignSource(), size, viewSeed };
    const limit = pLimit(options.concurrency ?? 2 * availableParallelism());
    const runs = interleaveJobs(plan.jobs).map((job) =>
      limit(async () => {
        const result = await renderJob(job, ctx);
        skipped.push(...result.skipped);
        progress.done++;
        progress.written += result.written;
        progress.reused += result.reused;
        progress.skipped += result.skipped.length;
        options.onProgress?.({ ...progress });
      }),
    );
    // Every job settles before a failure is reported: nothing still writes once this returns.
    const settled = await Promise.allSettled(runs);
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    skipped = skipped.sort((a, b) => a.path.localeCompare(b.path));
    await writeMarker(marker, {
      files: files.length,
      skipped,
      finishedAt: new Date().toISOString(),
    });
  }
  const bad = new Set(skipped.map((s) => s.path));
  const ok = (samples: Sample[]) => samples.filter((s) => !bad.has(s.path));
  return {
    dataset: { classes: names, sketches: ok(plan.sketches), images: ok(plan.images), skipped },
    split,
    trainViews: ok(plan.trainViews),
    semantics: {
      glove: gloveVectors(names),
      wordnet: (similarity) => wordnetEmbeddings(names, similarity),
    },
    dir,
  };
}
