import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteFile } from '@zs-sbir/io';
import { type ExperimentDataset, openExperiment } from '../experiment/open-experiment.js';
import type { OnProgress } from '../progress/progress.js';
import { type ProbeCandidate, type ProbeResult, probeFeatures } from './feature-probe.js';
import { DEFAULT_PROBE_GRID } from './probe-grid.js';
import { probeTable } from './probe-table.js';

/** Options of {@link runProbePipeline}: the dataset as the train pipeline takes it, and the grid. */
export interface ProbePipelineOptions {
  dataset: ExperimentDataset;
  root?: string;
  split?: string;
  splitSeed?: number;
  cacheDir: string;
  /** Folder of `probe.json`. */
  out: string;
  /** Default {@link DEFAULT_PROBE_GRID}. */
  candidates?: readonly ProbeCandidate[];
  sketchesPerClass?: number;
  imagesPerClass?: number;
  seed?: number;
  workers?: number;
}

/** How {@link runProbePipeline} reports. */
export interface ProbeIo {
  log: (line: string) => void;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

/**
 * Opens the dataset with its split (no class semantics needed), scores the candidates on the
 * validation classes with {@link probeFeatures}, logs the table and writes `<out>/probe.json`.
 */
export async function runProbePipeline(
  options: ProbePipelineOptions,
  io: ProbeIo,
): Promise<ProbeResult> {
  const experiment = await openExperiment({
    dataset: options.dataset,
    ...(options.root ? { root: options.root } : {}),
    ...(options.split ? { split: options.split } : {}),
    ...(options.splitSeed !== undefined ? { splitSeed: options.splitSeed } : {}),
    cacheDir: options.cacheDir,
    semantics: false,
    onProgress: (stage, done, total) => io.onProgress?.({ task: `build ${stage}`, done, total }),
  });
  const { split } = experiment;
  const sample = [
    options.sketchesPerClass ? `${options.sketchesPerClass} sketches` : 'all sketches',
    options.imagesPerClass ? `${options.imagesPerClass} images` : 'all images',
  ].join(', ');
  io.log(
    `probe on ${experiment.name}, split ${split.name}: ${split.validation.length} validation classes (${sample} per class; test classes are not used)`,
  );
  const result = await probeFeatures(experiment, {
    candidates: options.candidates ?? DEFAULT_PROBE_GRID,
    cacheDir: options.cacheDir,
    ...(options.sketchesPerClass ? { sketchesPerClass: options.sketchesPerClass } : {}),
    ...(options.imagesPerClass ? { imagesPerClass: options.imagesPerClass } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.workers ? { workers: options.workers } : {}),
    ...(io.onProgress ? { onProgress: io.onProgress } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  io.log(
    `${result.sketches} sketches x ${result.images} images of ${result.classes.length} validation classes, mAP@all (${result.protocol}), cosine; centred: each domain's mean removed\n${probeTable(result)}`,
  );
  await mkdir(options.out, { recursive: true });
  const file = join(options.out, 'probe.json');
  await atomicWriteFile(file, `${JSON.stringify(result, null, 2)}\n`);
  io.log(`wrote ${file}`);
  return result;
}
