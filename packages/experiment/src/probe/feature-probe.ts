import { createHash } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Backbone,
  type BackboneName,
  checkBackbone,
  extractFeatures,
  type LoadBackboneOptions,
  loadBackbone,
  sampleStamps,
} from '@zs-sbir/backbones';
import { createRng, type Sample } from '@zs-sbir/core';
import { atomicWriteFile, type FeatureSet, type Matrix } from '@zs-sbir/io';
import { evaluateRetrieval, type Protocol } from '@zs-sbir/metrics';
import { ExperimentError } from '../experiment/experiment-error.js';
import type { Experiment } from '../experiment/open-experiment.js';
import type { OnProgress } from '../progress/progress.js';

/** One feature to score: a backbone read at a layer (or several, concatenated) at an input size. */
export interface ProbeCandidate {
  backbone: BackboneName;
  /** Layer (or graph node / scope); a list is pooled and concatenated. Default: the backbone's. */
  layer?: string | readonly string[];
  /** Input size in pixels; default the backbone's. */
  inputSize?: number;
  /** Weights (a file or folder); default the backbone's own. */
  weights?: string;
  /**
   * Weights of the same network for the sketches only (a sketch branch fine-tuned on the seen
   * classes, e.g. by `fineTuneSketchBranch`), loaded with the images' normalisation; the images
   * keep `weights`. Default: both domains read `weights`.
   */
  sketchWeights?: string;
}

/** Options of {@link probeFeatures}. */
export interface ProbeOptions {
  candidates: readonly ProbeCandidate[];
  /** Cache root: the probe's features go to `<cacheDir>/probe/<dataset>/`. */
  cacheDir: string;
  /**
   * Classes to score on: a subset of the split's validation classes. Default all of them. Any
   * other class (a test or training class) is an error: the probe never looks at test classes.
   */
  classes?: readonly string[];
  /** Sketches per class (seeded sample); default all. */
  sketchesPerClass?: number;
  /** Gallery images per class (seeded sample); default all. */
  imagesPerClass?: number;
  /** Seed of the sample; default 0. */
  seed?: number;
  /** Evaluator rules; default `sklearn`. */
  protocol?: Protocol;
  /** Worker threads of the extraction; default the cores. */
  workers?: number;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

/** The scores of one candidate (all mAP@all, cosine). */
export interface ProbeRow {
  backbone: string;
  /** The layers read, joined by `+`. */
  layer: string;
  /** The candidate's {@link ProbeCandidate.sketchWeights}, when the sketches read their own. */
  sketchWeights?: string;
  inputSize: number;
  dim: number;
  /** Sketch -> image. */
  mAP: number;
  /** Sketch -> image after removing each domain's mean (over the probe's samples): the ranking score. */
  centred: number;
  /** Image -> the other images, each domain's mean removed (leave-one-out). */
  imageToImage: number;
  /**
   * Seconds per 100 images of the extraction that produced it: wall time of one pass per
   * backbone and input size up to the deepest layer probed there, loading the network in the
   * worker threads included (so small samples overstate it), measured when first extracted (NaN when the
   * features came from a cache written without a timing).
   */
  secondsPer100: number;
}

/** What {@link probeFeatures} returns (written as `probe.json` by the apps). */
export interface ProbeResult {
  dataset: string;
  split: string;
  /** The validation classes scored. */
  classes: string[];
  sketches: number;
  images: number;
  protocol: Protocol;
  /** Best first (by `centred`). */
  rows: ProbeRow[];
}

/** `layer` as a list, or undefined. */
export const layerList = (layer: ProbeCandidate['layer']) =>
  layer === undefined ? undefined : typeof layer === 'string' ? [layer] : [...layer];

/** The {@link loadBackbone} options of a candidate, read at `layers`. */
export function backboneOptions(
  c: ProbeCandidate,
  layers: string[] | undefined,
): LoadBackboneOptions {
  return {
    name: c.backbone,
    ...(c.weights ? { weights: c.weights } : {}),
    ...(c.inputSize ? { inputSize: c.inputSize } : {}),
    ...(layers ? { layer: layers } : {}),
  } as LoadBackboneOptions;
}

/** Up to `count` samples of each class in `labels`, seeded; sample order kept. */
export function sampleByClass(
  samples: readonly Sample[],
  labels: Set<number>,
  count: number | undefined,
  seed: string,
): Sample[] {
  const byClass = new Map<number, Sample[]>();
  for (const s of samples) {
    if (!labels.has(s.label)) continue;
    byClass.set(s.label, [...(byClass.get(s.label) ?? []), s]);
  }
  const keep = new Set<Sample>();
  for (const [label, list] of byClass) {
    const shuffled = count === undefined ? list : createRng(`${seed}:${label}`).shuffle([...list]);
    for (const s of shuffled.slice(0, count ?? list.length)) keep.add(s);
  }
  return samples.filter((s) => keep.has(s));
}

/**
 * The column ranges `[from, from + cols)` of `f`, side by side; each column minus its mean when
 * `centre`.
 */
function columns(
  f: FeatureSet,
  ranges: readonly { from: number; cols: number }[],
  centre: boolean,
): Matrix {
  const cols = ranges.reduce((a, r) => a + r.cols, 0);
  const data = new Float32Array(f.rows * cols);
  for (let r = 0; r < f.rows; r++) {
    let at = r * cols;
    for (const { from, cols: n } of ranges) {
      data.set(f.data.subarray(r * f.cols + from, r * f.cols + from + n), at);
      at += n;
    }
  }
  if (centre && f.rows > 0) {
    const mean = new Float64Array(cols);
    for (let i = 0; i < data.length; i++) mean[i % cols]! += data[i]!;
    for (let i = 0; i < data.length; i++) data[i]! -= mean[i % cols]! / f.rows;
  }
  return { data, rows: f.rows, cols };
}

/** Leave-one-out mAP@all of every row against the other rows (cosine). */
async function leaveOneOut(m: Matrix, labels: Int32Array, protocol: Protocol): Promise<number> {
  let sum = 0;
  let counted = 0;
  for (let q = 0; q < m.rows; q++) {
    const others = Array.from({ length: m.rows }, (_, i) => i).filter((i) => i !== q);
    if (!others.some((i) => labels[i] === labels[q])) continue;
    const gallery = new Float32Array(others.length * m.cols);
    for (const [k, i] of others.entries()) {
      gallery.set(m.data.subarray(i * m.cols, (i + 1) * m.cols), k * m.cols);
    }
    const report = await evaluateRetrieval({
      queries: { data: m.data.slice(q * m.cols, (q + 1) * m.cols), rows: 1, cols: m.cols },
      gallery: { data: gallery, rows: others.length, cols: m.cols },
      queryLabels: [labels[q]!],
      galleryLabels: others.map((i) => labels[i]!),
      similarity: 'cosine',
      protocol,
      workers: 0,
      perQuery: false,
    });
    sum += report.mAPAll;
    counted++;
  }
  return counted ? sum / counted : Number.NaN;
}

/** The probe's scores of some column ranges of the sketch and image features. */
async function scoreColumns(
  sketch: FeatureSet,
  image: FeatureSet,
  ranges: readonly { from: number; cols: number }[],
  protocol: Protocol,
): Promise<Pick<ProbeRow, 'dim' | 'mAP' | 'centred' | 'imageToImage'>> {
  const score = async (queries: Matrix, gallery: Matrix) =>
    (
      await evaluateRetrieval({
        queries,
        gallery,
        queryLabels: sketch.labels,
        galleryLabels: image.labels,
        similarity: 'cosine',
        protocol,
        perQuery: false,
      })
    ).mAPAll;
  const centredImages = columns(image, ranges, true);
  return {
    dim: centredImages.cols,
    mAP: await score(columns(sketch, ranges, false), columns(image, ranges, false)),
    centred: await score(columns(sketch, ranges, true), centredImages),
    imageToImage: await leaveOneOut(centredImages, image.labels, protocol),
  };
}

/**
 * When and how large the weights at `path` (a file, or a folder's `model.json`) were written: a
 * sketch branch re-tuned into the same folder must not be served its old cached features.
 */
async function weightsStamp(path: string): Promise<string> {
  const info = await stat(path);
  const file = info.isDirectory() ? await stat(join(path, 'model.json')).catch(() => info) : info;
  return `${file.mtimeMs}:${file.size}`;
}

/**
 * Candidates grouped by what one extraction can serve: backbone, weights and input size (those
 * reading the backbone's default layer apart, as its name is known only once loaded).
 */
function groups(candidates: readonly ProbeCandidate[]) {
  const byKey = new Map<string, { first: ProbeCandidate; members: ProbeCandidate[] }>();
  for (const c of candidates) {
    const key = JSON.stringify([
      c.backbone,
      c.weights,
      c.sketchWeights,
      c.inputSize,
      c.layer === undefined,
    ]);
    const group = byKey.get(key) ?? { first: c, members: [] };
    group.members.push(c);
    byKey.set(key, group);
  }
  return [...byKey.values()];
}

/**
 * The cache folder of one extraction: backbone, size, layers, weights, engine, normalisation and
 * samples (with each file's size and modification time, `stamps`), so no two extractions share a
 * folder and `extractFeatures` never has to replace one.
 */
function cacheFolder(
  root: string,
  backbone: Backbone,
  samples: readonly Sample[],
  stamps: readonly string[],
  stamp = '',
): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([backbone.name, backbone.weights, backbone.layers ?? null]));
  h.update(`\n${backbone.engine}|${backbone.normalisation}`);
  if (stamp) h.update(`\n${stamp}`);
  for (const [i, s] of samples.entries()) h.update(`\n${s.label}\t${s.path}\t${stamps[i]}`);
  return join(root, `${backbone.name}-${backbone.inputSize}-${h.digest('hex').slice(0, 16)}`);
}

/**
 * Ranks features for zero-shot retrieval without training: each candidate backbone x layer x
 * input size is scored on the split's **validation classes only** (held-out seen classes; test
 * classes are never read) by sketch -> image mAP@all with cosine similarity, raw and after
 * removing each domain's mean, and by image -> image mAP (leave-one-out), with its dimension and
 * extraction cost. Candidates of the same backbone, weights and input size share one extraction
 * (their layers read at once and split afterwards). Features are cached under
 * `<cacheDir>/probe/<dataset>/`, so a second run only scores.
 *
 * @throws {ExperimentError} when the split has no validation classes, `classes` names a class
 *   that is not a validation class, or a candidate list is empty; {@link BackboneError} for
 *   unknown backbones or layers (checked before any extraction).
 */
export async function probeFeatures(
  experiment: Experiment,
  options: ProbeOptions,
): Promise<ProbeResult> {
  const { dataset, split } = experiment;
  const protocol = options.protocol ?? 'sklearn';
  if (options.candidates.length === 0) {
    throw new ExperimentError('probeFeatures: no candidates to score');
  }
  if (split.validation.length === 0) {
    throw new ExperimentError(
      `probeFeatures: split ${split.name} has no validation classes; the probe scores on validation classes only (never on test classes)`,
    );
  }
  const classes = [...(options.classes ?? split.validation)];
  const outside = classes.filter((c) => !split.validation.includes(c));
  if (outside.length) {
    const test = outside.filter((c) => split.unseen.includes(c));
    throw new ExperimentError(
      `probeFeatures: class(es) ${outside.join(', ')} are not validation classes of split ${split.name}${test.length ? ` (${test.join(', ')}: test classes, which the probe never uses)` : ''}; expected some of ${split.validation.join(', ')}`,
    );
  }
  const labels = new Set(classes.map((c) => dataset.classes.indexOf(c)));
  const seed = String(options.seed ?? 0);
  const sketches = sampleByClass(dataset.sketches, labels, options.sketchesPerClass, `${seed}:s`);
  const images = sampleByClass(dataset.images, labels, options.imagesPerClass, `${seed}:i`);
  const root = join(options.cacheDir, 'probe', experiment.name);
  const plan = groups(options.candidates);
  // Every candidate is checked before anything is extracted: unknown names or layers fail at once.
  for (const c of options.candidates) {
    await checkBackbone(backboneOptions(c, layerList(c.layer)));
    if (c.sketchWeights) {
      await checkBackbone({
        ...backboneOptions(c, layerList(c.layer)),
        weights: c.sketchWeights,
      } as LoadBackboneOptions);
    }
  }
  const stamps = await sampleStamps([...sketches, ...images]);
  const rows: ProbeRow[] = [];
  for (const [g, { first, members }] of plan.entries()) {
    const layers: string[] = [];
    for (const m of members)
      for (const l of layerList(m.layer) ?? []) if (!layers.includes(l)) layers.push(l);
    const read = backboneOptions(first, layers.length ? layers : undefined);
    const backbone = await loadBackbone(read);
    // The sketch branch's own weights, read like the images (same layers, size, normalisation).
    const sketchBackbone = first.sketchWeights
      ? await loadBackbone({
          ...read,
          weights: first.sketchWeights,
          normalisation: backbone.normalisation,
        } as LoadBackboneOptions).catch(async (err: unknown) => {
          await backbone.dispose();
          throw err;
        })
      : backbone;
    try {
      const folder = cacheFolder(root, backbone, [...sketches, ...images], stamps);
      const sketchFolder =
        sketchBackbone === backbone
          ? folder
          : cacheFolder(
              root,
              sketchBackbone,
              [...sketches, ...images],
              stamps,
              await weightsStamp(first.sketchWeights!),
            );
      const timingFile = join(sketchFolder, 'probe-timing.json');
      const started = performance.now();
      let cached = false;
      const task = `probe ${g + 1}/${plan.length} ${backbone.name} ${backbone.inputSize}px`;
      const extract = (net: Backbone, into: string, modalities: ('sketch' | 'image')[]) =>
        extractFeatures({ classes: dataset.classes, sketches, images, skipped: [] }, net, {
          cacheDir: into,
          datasetName: experiment.name,
          modalities,
          ...(options.workers ? { workers: options.workers } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
          onProgress: (p) => {
            cached ||= p.cached;
            options.onProgress?.({
              task,
              done: p.modality === 'sketch' ? p.done : sketches.length + p.done,
              total: sketches.length + images.length,
              ...(p.cached ? { status: '(cached)' } : {}),
            });
          },
        });
      const extracted =
        sketchBackbone === backbone
          ? await extract(backbone, folder, ['sketch', 'image'])
          : {
              sketch: (await extract(sketchBackbone, sketchFolder, ['sketch'])).sketch,
              image: (await extract(backbone, folder, ['image'])).image,
            };
      const seconds = (performance.now() - started) / 1000;
      const timing = await readFile(timingFile, 'utf8')
        .then((t) => JSON.parse(t) as { secondsPer100: number })
        .catch(() => null);
      const measured = cached ? Number.NaN : (seconds / (sketches.length + images.length)) * 100;
      const secondsPer100 = timing?.secondsPer100 ?? measured;
      if (!timing && !cached) {
        await mkdir(sketchFolder, { recursive: true });
        await atomicWriteFile(timingFile, JSON.stringify({ secondsPer100 }));
      }
      const sketch = extracted.sketch!;
      const image = extracted.image!;
      const readLayers = backbone.layers ?? [backbone.name];
      const dims = backbone.layerDims ?? [backbone.outputDim];
      const offsets = dims.map((_, i) => dims.slice(0, i).reduce((a, b) => a + b, 0));
      for (const m of members) {
        const wanted = layerList(m.layer) ?? [...readLayers];
        const ranges = wanted.map((l) => {
          const k = readLayers.indexOf(l);
          return { from: offsets[k]!, cols: dims[k]! };
        });
        rows.push({
          backbone: backbone.name,
          layer: wanted.join('+'),
          ...(first.sketchWeights ? { sketchWeights: first.sketchWeights } : {}),
          inputSize: backbone.inputSize,
          ...(await scoreColumns(sketch, image, ranges, protocol)),
          secondsPer100,
        });
      }
    } finally {
      if (sketchBackbone !== backbone) await sketchBackbone.dispose();
      await backbone.dispose();
    }
  }
  rows.sort((a, b) => b.centred - a.centred);
  return {
    dataset: experiment.name,
    split: split.name,
    classes,
    sketches: sketches.length,
    images: images.length,
    protocol,
    rows,
  };
}
