import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BACKBONE_NAMES, type Backbone, DEFAULT_PIPELINE, loadBackbone } from '@zs-sbir/backbones';
import { integerSchema, oneOfSchema, validateJson } from '@zs-sbir/core';
import type { ImageOptions } from '@zs-sbir/data';
import {
  type Branch,
  CheckpointError,
  loadCheckpoint,
  verifyCheckpoint,
  type WadCmsn,
} from '@zs-sbir/wad-cmsn';
import * as v from 'valibot';
import { SearchError } from './search-error.js';

/**
 * The part of a `zs-sbir-train` run description (`run.json`) that decides how images become
 * embeddings: the backbone, its weights, input size and feature layers. Other keys are left to
 * the train app.
 */
const RUN_SPEC = v.looseObject({
  schema: v.literal('zs-sbir/train-run', "'zs-sbir/train-run' (a zs-sbir-train run description)"),
  version: v.literal(1, '1 (the run.json version this package reads)'),
  spec: v.looseObject({
    backbone: oneOfSchema(BACKBONE_NAMES),
    weights: v.optional(v.string()),
    inputSize: v.optional(integerSchema()),
    layer: v.optional(
      v.union(
        [v.string(), v.array(v.string())],
        'a layer name or a list of layer names (the layers the run was trained on)',
      ),
    ),
  }),
});

/** `spec.layer` as a list, or undefined when absent or empty (the backbone's default layer). */
function layerList(layer: string | string[] | undefined): string[] | undefined {
  const list = layer === undefined ? [] : typeof layer === 'string' ? [layer] : layer;
  return list.length > 0 ? list : undefined;
}

/** What identifies a trained run's embeddings, read without building a model. */
export interface RunIdentity {
  /** The run folder, absolute. */
  dir: string;
  backbone: {
    name: (typeof BACKBONE_NAMES)[number];
    weights?: string;
    inputSize?: number;
    /**
     * The layers (or graph nodes) the run's features were read from (`run.json` `spec.layer`);
     * absent in runs trained on the backbone's default layer, which is then used.
     */
    layer?: string[];
  };
  /** SHA-256 of the best checkpoint's tensors: another training of the same folder differs. */
  checkpoint: string;
  /** Length of an embedding (the run's `embeddingDim`). */
  dim: number;
}

/** The checkpoint `buildIndex` and `openIndex` embed with, inside a run folder. */
const BEST = join('checkpoints', 'best');

/**
 * Reads and checks a run folder (`run.json` and an intact `checkpoints/best`) without loading
 * the model.
 *
 * @throws SearchError (option `run`) when the folder is missing, is not a zs-sbir-train run or
 *   its best checkpoint is missing or damaged.
 */
export async function readRunIdentity(runDir: string): Promise<RunIdentity> {
  const dir = resolve(runDir);
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir)
    throw new SearchError('run', `${runDir}: no such folder (expected a zs-sbir-train run folder)`);
  const file = join(dir, 'run.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new SearchError(
      'run',
      `${runDir}: no run.json; expected a zs-sbir-train run folder such as runs/qd-emoji/wad-cmsn`,
    );
  }
  const run = validateJson(RUN_SPEC, text, {
    where: file,
    noun: 'key',
    error: class extends SearchError {
      constructor(message: string) {
        super('run', message);
      }
    },
  });
  const layer = layerList(run.spec.layer);
  try {
    const { manifest } = await verifyCheckpoint(join(dir, BEST));
    return {
      dir,
      backbone: {
        name: run.spec.backbone,
        ...(run.spec.weights ? { weights: run.spec.weights } : {}),
        ...(run.spec.inputSize ? { inputSize: run.spec.inputSize } : {}),
        ...(layer ? { layer } : {}),
      },
      checkpoint: manifest.sha256,
      dim: manifest.config.embeddingDim,
    };
  } catch (err) {
    if (!(err instanceof CheckpointError)) throw err;
    throw new SearchError('run', `${runDir}: no usable best checkpoint (${err.message})`);
  }
}

/** A trained run ready to embed: its backbone and WAD-CMSN model. */
export interface RunModel {
  identity: RunIdentity;
  backbone: Backbone;
  model: WadCmsn;
  /**
   * How a file or pixels become a backbone input, as `zs-sbir-train` extracted the run's
   * features (`DEFAULT_PIPELINE` at the backbone's size and normalisation), for both branches.
   */
  imageOptions: ImageOptions;
  /**
   * Embeddings `[count, dim]` (L2-normalised) of `count` prepared inputs
   * (`[count, size, size, 3]`): the backbone, then the branch's projector.
   */
  embed(branch: Branch, inputs: Float32Array, count: number): Promise<Float32Array>;
  /** Frees the model and the backbone. */
  dispose(): Promise<void>;
}

/**
 * Loads the backbone recorded in a run's `run.json` (name, weights, input size and feature
 * layers, so that embeddings match the training's features) and the model of its best checkpoint.
 *
 * @throws SearchError (option `run`) as {@link readRunIdentity}, or when the checkpoint changed
 *   since `expected` was read.
 */
export async function loadRunModel(runDir: string, expected?: RunIdentity): Promise<RunModel> {
  const identity = await readRunIdentity(runDir);
  if (expected && expected.checkpoint !== identity.checkpoint) {
    throw new SearchError(
      'run',
      `${runDir}: its best checkpoint changed since the index was built (the run was trained again); build the index again`,
    );
  }
  const { model } = await loadCheckpoint(join(identity.dir, BEST));
  let backbone: Backbone;
  try {
    backbone = await loadBackbone(identity.backbone);
  } catch (err) {
    model.dispose();
    throw err;
  }
  const cols = backbone.outputDim;
  return {
    identity,
    backbone,
    model,
    imageOptions: {
      ...DEFAULT_PIPELINE,
      size: backbone.inputSize,
      normalisation: backbone.normalisation,
    },
    embed: async (branch, inputs, count) => {
      if (count === 0) return new Float32Array(0);
      const data = await backbone.embedData(inputs, count);
      return model.embed(branch, { data, rows: count, cols });
    },
    dispose: async () => {
      model.dispose();
      await backbone.dispose();
    },
  };
}
