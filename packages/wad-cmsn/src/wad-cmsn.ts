import { type Rng, tf, tfOps } from '@zs-sbir/core';
import {
  type CriticName,
  createDiscriminator,
  criticNames,
  criticPairs,
  criticStep,
  type Discriminator,
} from '@zs-sbir/critic';
import type { Matrix } from '@zs-sbir/io';
import { type Loss, lossFromConfig } from '@zs-sbir/losses';
import {
  createDecoder,
  createProjector,
  createSideInfoAutoencoder,
  type Decoder,
  type Projector,
  type SideInfoAutoencoder,
} from '@zs-sbir/semantic';
import { resolveConfig, type WadCmsnConfig } from './config.js';
import { ConfigError } from './config-error.js';
import { type FeatureStats, identityStats, unitRows } from './input-stats.js';
import { lossTerms } from './loss-terms.js';
import { drawStep } from './step-draws.js';
import {
  type BranchMasks,
  checkBatch,
  checkLoss,
  mainObjective,
  mainWeights,
  mapNetworks,
  modulesOf,
  projectForCritics,
  standardise,
  stepModel,
} from './training-step.js';

/** The two branches. */
export type Branch = 'sketch' | 'image';

/** Sizes the networks are built for. */
export interface WadCmsnDims {
  /** Visual feature width `D_v` (both branches share one backbone). */
  visualDim: number;
  /** Side-information width `D_s`. */
  sideInfoDim: number;
}

/** What {@link createWadCmsn} needs besides the config. */
export interface WadCmsnSetup extends WadCmsnDims {
  /** Side information of the seen classes, `[seenClasses, D_s]` row-major; labels index its rows. */
  sideInfo: Float32Array;
  /** Per-branch input statistics (see `featureStats`); default: no standardisation. */
  stats?: Partial<Record<Branch, FeatureStats>>;
}

/** One training batch of class-paired features: row i of each is of class `labels[i]`. */
export interface TrainBatch {
  /** `[batch, D_v]` sketch features, raw (the model standardises them). */
  sketch: Float32Array;
  /** `[batch, D_v]` image features, raw. */
  image: Float32Array;
  /** `[batch]` indices into the seen classes (rows of `sideInfo`). */
  labels: Int32Array;
}

/** What one {@link WadCmsn.trainStep} did, as numbers. */
export interface StepResult {
  /** The projector-side loss. */
  loss: number;
  /** Each loss term's weighted contribution and its named parts. */
  parts: Record<string, number>;
  /** Per critic: the last update's critic loss, gradient penalty and Wasserstein estimate. */
  critics: Record<string, { loss: number; penalty: number; wasserstein: number }>;
}

/** The WAD-CMSN model: networks, optimisers and the training step. */
export interface WadCmsn {
  readonly config: WadCmsnConfig;
  readonly dims: WadCmsnDims;
  readonly stats: Record<Branch, FeatureStats>;
  /** The seen classes' side information `[seenClasses, D_s]`, as given in the setup. */
  readonly sideInfo: Float32Array;
  readonly networks: {
    projectors: Record<Branch, Projector>;
    decoders: Record<Branch, Decoder>;
    sideInfo: SideInfoAutoencoder;
    critics: Partial<Record<CriticName, Discriminator>>;
  };
  readonly optimisers: { main: tf.Optimizer; critics: Partial<Record<CriticName, tf.Optimizer>> };
  /** The weighted loss of the projector side; some terms own variables (a learned classifier). */
  readonly loss: Loss;
  /** Every variable the projector-side optimiser trains, in a fixed order. */
  readonly mainVariables: tf.Variable[];
  /**
   * One step: `critic.steps` critic updates on this batch (when a critic is configured), then one
   * update of projectors, decoders and the side-information autoencoder on every loss term.
   * `rng` draws dropout masks and the gradient penalty's interpolation weights.
   *
   * @throws TrainingError when the loss is NaN or infinite (nothing is updated by that step's
   *   projector update).
   */
  trainStep(batch: TrainBatch, rng: Rng): StepResult;
  /** L2-normalised embeddings `[rows, d]` of a branch's raw features `[rows, D_v]`, in chunks. */
  embed(branch: Branch, features: Matrix, chunk?: number): Float32Array;
  /** Frees every variable and optimiser. */
  dispose(): void;
}

function checkSetup(setup: WadCmsnSetup): number {
  const { visualDim, sideInfoDim, sideInfo } = setup;
  for (const [name, v] of Object.entries({ visualDim, sideInfoDim })) {
    if (!Number.isInteger(v) || v < 1) {
      throw new ConfigError(`createWadCmsn: ${name} must be a positive integer, got ${v}`);
    }
  }
  if (sideInfo.length === 0 || sideInfo.length % sideInfoDim !== 0) {
    throw new ConfigError(
      `createWadCmsn: sideInfo holds ${sideInfo.length} values, not a whole number of rows of sideInfoDim ${sideInfoDim}`,
    );
  }
  for (const branch of ['sketch', 'image'] as const) {
    const s = setup.stats?.[branch];
    if (s && (s.mean.length !== visualDim || s.std.length !== visualDim)) {
      throw new ConfigError(
        `createWadCmsn: stats.${branch} has ${s.mean.length} dimensions, expected visualDim ${visualDim}`,
      );
    }
  }
  return sideInfo.length / sideInfoDim;
}

/**
 * Builds WAD-CMSN (Xu, Hu & Cai, 2022) from a config (merged over the documented defaults and
 * validated) and the data sizes: per-branch projectors `G_sk`, `G_im` (`D_v -> h -> h -> d`),
 * decoders `F_sk`, `F_im`, the side-information autoencoder `E_se` whose codes are the class
 * prototypes, the critics the placement needs, and Adam optimisers (projector side and one per
 * critic). All weights are drawn from `config.seed`.
 *
 * @throws ConfigError naming a wrong config key or value, or a setup that does not fit.
 */
export function createWadCmsn(configInput: unknown, setup: WadCmsnSetup): WadCmsn {
  const config = resolveConfig(configInput);
  const seenClasses = checkSetup(setup);
  const { visualDim, sideInfoDim } = setup;
  const d = config.embeddingDim;
  const seed = config.seed;
  const terms = lossTerms(config, seenClasses);
  const stats = {
    sketch: setup.stats?.sketch ?? identityStats(visualDim),
    image: setup.stats?.image ?? identityStats(visualDim),
  };

  const projector = (branch: Branch) =>
    createProjector({
      inputDim: visualDim,
      outputDim: d,
      ...(config.projector.hiddenDims ? { hiddenDims: config.projector.hiddenDims } : {}),
      leakySlope: config.projector.leakySlope,
      dropout: config.projector.dropout,
      seed: `${seed}/projector/${branch}`,
    });
  const decoder = (branch: Branch) =>
    createDecoder({
      inputDim: d,
      outputDim: visualDim,
      ...(config.decoder.hiddenDims ? { hiddenDims: config.decoder.hiddenDims } : {}),
      leakySlope: config.decoder.leakySlope,
      dropout: config.decoder.dropout,
      seed: `${seed}/decoder/${branch}`,
    });
  const projectors = { sketch: projector('sketch'), image: projector('image') };
  const decoders = { sketch: decoder('sketch'), image: decoder('image') };
  const sideInfo = createSideInfoAutoencoder({
    inputDim: sideInfoDim,
    outputDim: d,
    hiddenDims: config.sideInfo.hiddenDims,
    seed: `${seed}/side-info`,
  });
  const placement = config.critic.placement;
  const critics: Partial<Record<CriticName, Discriminator>> = {};
  const criticOptimisers: Partial<Record<CriticName, tf.Optimizer>> = {};
  if (placement !== 'none') {
    for (const name of criticNames(placement)) {
      critics[name] = createDiscriminator({
        inputDim: d,
        ...(config.critic.hiddenDims ? { hiddenDims: config.critic.hiddenDims } : {}),
        kind: config.critic.kind,
        ...(config.critic.kind === 'wgan-gp' || config.critic.kind === 'wgan-lp'
          ? { lambda: config.critic.gradientPenalty }
          : {}),
        clip: config.critic.clip,
        seed: `${seed}/critic/${name}`,
      });
      criticOptimisers[name] = tf.train.adam(
        config.critic.learningRate,
        config.critic.beta1,
        config.critic.beta2,
      );
    }
  }
  const loss: Loss = lossFromConfig({ terms });
  const mainOptimiser: tf.Optimizer = tf.train.adam(
    config.optimiser.learningRate,
    config.optimiser.beta1,
    config.optimiser.beta2,
  );
  const sideInfoTensor = tf.tensor2d(setup.sideInfo, [seenClasses, sideInfoDim]);
  const statTensors = {
    sketch: { mean: tf.tensor1d(stats.sketch.mean), std: tf.tensor1d(stats.sketch.std) },
    image: { mean: tf.tensor1d(stats.image.mean), std: tf.tensor1d(stats.image.std) },
  };
  const toTensor = (branch: Branch, data: Float32Array, rows: number) =>
    tf.tidy(
      () =>
        standardise(
          tfOps,
          tf.tensor2d(data, [rows, visualDim]),
          statTensors[branch],
          unitRows(config.inputNormalisation),
        ) as tf.Tensor2D,
    );

  const networks = { projectors, decoders, sideInfo, critics };
  const step = stepModel({ config, networks, loss, sideInfo: setup.sideInfo, dims: setup, stats });
  const weights = mapNetworks(modulesOf(networks), (m) => m.trainableVariables);
  const mainVariables = [...mainWeights(weights), ...loss.trainableVariables];

  function trainStep(batch: TrainBatch, rng: Rng): StepResult {
    const rows = checkBatch(batch, visualDim, seenClasses);
    const draws = drawStep(step, rows, rng);
    // Mask tensors are made inside the tidy scopes below, which free them.
    const masks = (m: BranchMasks<Float32Array>) => ({
      sketch: m.sketch?.map((v) => tf.tensor2d(v, [rows, v.length / rows])),
      image: m.image?.map((v) => tf.tensor2d(v, [rows, v.length / rows])),
    });
    const input = {
      x: {
        sketch: toTensor('sketch', batch.sketch, rows),
        image: toTensor('image', batch.image, rows),
      },
      labels: tf.tensor1d(batch.labels, 'int32'),
      sideInfo: sideInfoTensor,
    };
    const criticResults: StepResult['critics'] = {};
    try {
      if (draws.critic && placement !== 'none') {
        const phase = draws.critic;
        const projected = tf.tidy(() => {
          const p = projectForCritics(tfOps, step, weights, input, masks(phase.projector));
          return { ...p.z, prototypes: p.prototypes } as Record<
            'sketch' | 'image' | 'prototypes',
            tf.Tensor2D
          >;
        });
        for (const pair of criticPairs(placement, projected)) {
          const updates = phase.updates[pair.critic]!;
          const { loss, penalty, wasserstein } = criticStep({
            discriminator: critics[pair.critic]!,
            optimizer: criticOptimisers[pair.critic]!,
            real: pair.real,
            fake: pair.fake,
            nCritic: updates.length,
            epsilons: updates,
          });
          criticResults[pair.critic] = { loss, penalty, wasserstein };
        }
        tf.dispose(projected);
      }
      const kept: Record<string, tf.Scalar> = {};
      const { value, grads } = tf.variableGrads(() => {
        const { projector, decoder } = draws.main;
        const main = { projector: masks(projector), decoder: masks(decoder) };
        const result = mainObjective(tfOps, step, weights, input, { masks: main });
        for (const [k, v] of Object.entries(result.parts)) kept[k] = tf.keep(v as tf.Scalar);
        return result.loss as tf.Scalar;
      }, mainVariables);
      const names = Object.keys(kept);
      const values = tf.tidy(() => tf.stack([value, ...names.map((k) => kept[k]!)]).dataSync());
      tf.dispose([value, ...Object.values(kept)]);
      const parts = Object.fromEntries(names.map((k, i) => [k, values[i + 1]!]));
      if (!Number.isFinite(values[0]!)) tf.dispose(grads);
      checkLoss(values[0]!, parts);
      mainOptimiser.applyGradients(grads);
      tf.dispose(grads);
      return { loss: values[0]!, parts, critics: criticResults };
    } finally {
      tf.dispose([input.x.sketch, input.x.image, input.labels]);
    }
  }

  function embed(branch: Branch, features: Matrix, chunk = 1024): Float32Array {
    if (features.cols !== visualDim) {
      throw new ConfigError(
        `embed(${branch}): features have ${features.cols} columns, the model expects ${visualDim}`,
      );
    }
    const out = new Float32Array(features.rows * d);
    for (let start = 0; start < features.rows; start += chunk) {
      const rows = Math.min(chunk, features.rows - start);
      const slice = features.data.subarray(start * visualDim, (start + rows) * visualDim);
      const z = tf.tidy(() => {
        const e = projectors[branch].apply(toTensor(branch, slice, rows));
        return tf.div(e, tf.maximum(tf.norm(e, 2, 1, true), 1e-12));
      });
      out.set(z.dataSync(), start * d);
      z.dispose();
    }
    return out;
  }

  return {
    config,
    dims: { visualDim, sideInfoDim },
    stats,
    sideInfo: setup.sideInfo,
    networks,
    optimisers: { main: mainOptimiser, critics: criticOptimisers },
    loss,
    mainVariables,
    trainStep,
    embed,
    dispose: () => {
      for (const m of [...Object.values(projectors), ...Object.values(decoders), sideInfo])
        m.dispose();
      for (const c of Object.values(critics)) c.dispose();
      for (const o of [mainOptimiser, ...Object.values(criticOptimisers)]) o.dispose();
      loss.dispose();
      tf.dispose([sideInfoTensor, ...Object.values(statTensors).flatMap((s) => [s.mean, s.std])]);
    },
  };
}
