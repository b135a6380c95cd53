import type { Ops } from '@zs-sbir/core';
import { type CriticName, type DiscriminatorKind, projectorCriticScores } from '@zs-sbir/critic';
import type { CriticScores, Loss, LossContext, LossResult } from '@zs-sbir/losses';
import { type MlpConfig, mlpForward, type SemanticModule } from '@zs-sbir/semantic';
import { TrainingError } from './errors.js';
import { unitRows } from './input-stats.js';
import type { Branch, TrainBatch, WadCmsn } from './wad-cmsn.js';

/** The two branches, in the order the step computes (and draws for) them. */
export const BRANCHES = ['sketch', 'image'] as const satisfies readonly Branch[];

/** What the step reads of a network: its MLP layout (the module's resolved config). */
export type ModuleLayout = MlpConfig<string>;

/** A value per branch. */
export type PerBranch<T> = Record<Branch, T>;

/** Each branch's dropout masks `[rows, hiddenDims[i]]`, or undefined where a module draws none. */
export type BranchMasks<T> = PerBranch<readonly T[] | undefined>;

/** The step's networks, as modules, layouts or weights. */
export interface StepNetworks<N> {
  projectors: PerBranch<N>;
  decoders: PerBranch<N>;
  /** The side-information encoder `E_se` and its decoder. */
  encoder: N;
  sideDecoder: N;
  critics: Partial<Record<CriticName, N>>;
}

/** The networks' weights as an engine's values (`[W1, b1, ...]` per network). */
export type StepWeights<T> = StepNetworks<readonly T[]>;

/** `f` of every network and its name (`projector/sketch`, `side-info/encoder`, `critic/image`...). */
export function mapNetworks<N, M>(n: StepNetworks<N>, f: (x: N, name: string) => M) {
  const branches = (kind: string, x: PerBranch<N>) => ({
    sketch: f(x.sketch, `${kind}/sketch`),
    image: f(x.image, `${kind}/image`),
  });
  const critics = Object.entries(n.critics).map(([k, c]) => [k, f(c!, `critic/${k}`)]);
  return {
    projectors: branches('projector', n.projectors),
    decoders: branches('decoder', n.decoders),
    encoder: f(n.encoder, 'side-info/encoder'),
    sideDecoder: f(n.sideDecoder, 'side-info/decoder'),
    critics: Object.fromEntries(critics) as StepNetworks<M>['critics'],
  };
}

/** The projector side's network weights in `WadCmsn.mainVariables` order (the loss's follow). */
export const mainWeights = <T>(w: StepWeights<T>): T[] => [
  ...w.projectors.sketch,
  ...w.projectors.image,
  ...w.decoders.sketch,
  ...w.decoders.image,
  ...w.encoder,
  ...w.sideDecoder,
];

/**
 * What one training step is built from, whatever the engine (read off a model by
 * {@link stepModel}): the networks' layouts, the critics' objectives and the loss.
 */
export interface StepModel {
  /** Seen classes (rows of the side information). */
  classes: number;
  layouts: StepNetworks<ModuleLayout>;
  placement: 'semantic' | 'cross-modal' | 'none';
  critics: Partial<Record<CriticName, { kind: DiscriminatorKind; lambda: number; clip: number }>>;
  /** Critic updates per step, `n_critic`. */
  criticSteps: number;
  loss: Pick<Loss, 'compute' | 'trainableVariables'>;
  /** The input standardisation's statistics and the seen classes' side information. */
  stats: WadCmsn['stats'];
  /** Whether standardised inputs are scaled to unit L2 norm per row (`-l2` normalisations). */
  unitRows: boolean;
  sideInfo: Float32Array;
}

/** A batch as an engine's values. */
export interface StepBatch<T> {
  /** Standardised features `[rows, D_v]` per branch (see {@link standardise}). */
  x: PerBranch<T>;
  /** `[rows]` class indices. */
  labels: T;
  /** Seen-class side information `[classes, D_s]`. */
  sideInfo: T;
}

/** A model's networks as modules (for {@link mapNetworks}). */
export const modulesOf = (n: WadCmsn['networks']): StepNetworks<SemanticModule<ModuleLayout>> => ({
  ...n,
  encoder: n.sideInfo.encoder,
  sideDecoder: n.sideInfo.decoder,
  critics: Object.fromEntries(Object.entries(n.critics).map(([k, d]) => [k, d!.critic])),
});

/** Reads a model's {@link StepModel}. */
export function stepModel(
  model: Pick<WadCmsn, 'config' | 'networks' | 'loss' | 'sideInfo' | 'dims' | 'stats'>,
): StepModel {
  return {
    classes: model.sideInfo.length / model.dims.sideInfoDim,
    layouts: mapNetworks(modulesOf(model.networks), (m) => m.config),
    placement: model.config.critic.placement,
    critics: Object.fromEntries(
      Object.entries(model.networks.critics).map(([k, d]) => [k, d!.config]),
    ),
    criticSteps: model.config.critic.steps,
    loss: model.loss,
    stats: model.stats,
    unitRows: unitRows(model.config.inputNormalisation),
    sideInfo: model.sideInfo,
  };
}

/**
 * Checks a batch's sizes and labels against the model: `visualDim` values per row and branch,
 * labels in `[0, classes)`. Returns the number of rows.
 *
 * @throws TrainingError naming the field that does not fit.
 */
export function checkBatch(batch: TrainBatch, visualDim: number, classes: number): number {
  const rows = batch.labels.length;
  for (const branch of BRANCHES) {
    if (batch[branch].length !== rows * visualDim) {
      throw new TrainingError(
        `trainStep: batch.${branch} holds ${batch[branch].length} values, expected ${rows} x ${visualDim}`,
      );
    }
  }
  const i = batch.labels.findIndex((label) => !(label >= 0 && label < classes));
  if (i >= 0) {
    throw new TrainingError(
      `trainStep: labels[${i}] is ${batch.labels[i]}, expected a class index in [0, ${classes})`,
    );
  }
  return rows;
}

/**
 * Checks the projector update's loss (read back as a number) before the update is applied.
 *
 * @throws TrainingError when the loss is NaN or infinite, listing the parts.
 */
export function checkLoss(loss: number, parts: Record<string, number>): void {
  if (Number.isFinite(loss)) return;
  const listed = Object.entries(parts).map(([k, v]) => `${k} ${v}`);
  throw new TrainingError(`trainStep: the loss is ${loss} (parts: ${listed.join(', ')})`);
}

/**
 * `(x - mean) / std`, the model's input standardisation, each row then divided by its L2 norm
 * (floored at `1e-12`) when `unitRows`.
 */
export function standardise<T>(ops: Ops<T>, x: T, stats: { mean: T; std: T }, unitRows = false): T {
  const z = ops.div(ops.sub(x, stats.mean), stats.std);
  if (!unitRows) return z;
  return ops.div(z, ops.maximum(ops.sqrt(ops.sum(ops.square(z), 1, true)), 1e-12));
}

/** Both projections `z = G(x)` in training mode, sketch first, and their first layers. */
function projectBranches<T>(
  ops: Ops<T>,
  { layouts }: StepModel,
  weights: StepWeights<T>,
  x: PerBranch<T>,
  masks: BranchMasks<T>,
  hook?: MainObjectiveOptions<T>['firstLayer'],
) {
  const z = {} as PerBranch<T>;
  const firstLayer = {} as PerBranch<T>;
  for (const b of BRANCHES) {
    const w = weights.projectors[b];
    const computed = ops.add(ops.matMul(x[b], w[0]!), w[1]!); // mlpForward's first layer
    firstLayer[b] = hook ? hook(b, computed) : computed;
    z[b] = mlpForward(ops, layouts.projectors[b], w, x[b], {
      masks: masks[b],
      firstLayer: firstLayer[b],
    });
  }
  return { z, firstLayer };
}

/**
 * The critic phase's inputs: both branches projected in training mode (`z`, and each
 * projector's first-layer pre-activation `x W_0 + b_0`) and each row's class prototype `p_y`
 * (`[rows, d]`), for `criticPairs`.
 */
export function projectForCritics<T>(
  ops: Ops<T>,
  model: StepModel,
  weights: StepWeights<T>,
  batch: StepBatch<T>,
  masks: BranchMasks<T>,
) {
  const all = mlpForward(ops, model.layouts.encoder, weights.encoder, batch.sideInfo);
  const prototypes = ops.matMul(ops.oneHot(batch.labels, model.classes), all);
  return { ...projectBranches(ops, model, weights, batch.x, masks), prototypes };
}

/** Options of {@link mainObjective}. */
export interface MainObjectiveOptions<T> {
  masks: { projector: BranchMasks<T>; decoder: BranchMasks<T> };
  /** The loss's math (default `model.loss.compute`). */
  loss?: (ops: Ops<T>, ctx: LossContext<T>) => LossResult<T>;
  /** Replaces a projector's computed first-layer pre-activation (an engine reusing a value). */
  firstLayer?: (branch: Branch, computed: T) => T;
}

/**
 * The projector update's forward pass and weighted loss: projections, the critics' scores of
 * them (`projectorCriticScores`), the prototypes, the decoders' reconstructions and the
 * side-information autoencoder's, gathered into a `LossContext` for the model's loss.
 */
export function mainObjective<T extends object>(
  ops: Ops<T>,
  model: StepModel,
  weights: StepWeights<T>,
  batch: StepBatch<T>,
  { masks, loss = model.loss.compute, firstLayer }: MainObjectiveOptions<T>,
): LossResult<T> {
  const { layouts, placement } = model;
  const { z } = projectBranches(ops, model, weights, batch.x, masks.projector, firstLayer);
  const critic = (name: CriticName) => (x: T) =>
    mlpForward(ops, layouts.critics[name]!, weights.critics[name]!, x);
  const criticScores = placement === 'none' ? {} : projectorCriticScores(placement, z, critic);
  const reconstruct = (b: Branch) => ({
    output: mlpForward(ops, layouts.decoders[b], weights.decoders[b], z[b], {
      masks: masks.decoder[b],
    }),
    target: batch.x[b],
  });
  // The autoencoder encodes `s` a second time (as `SideInfoAutoencoder.apply` does): the
  // encoder's gradient sums over its two uses in the order TensorFlow.js always summed it.
  const encode = () => mlpForward(ops, layouts.encoder, weights.encoder, batch.sideInfo);
  return loss(ops, {
    embeddings: z,
    labels: batch.labels,
    prototypes: encode(),
    criticScores: criticScores as Record<string, CriticScores<T>>,
    reconstructions: { sketch: reconstruct('sketch'), image: reconstruct('image') },
    sideInfo: {
      input: batch.sideInfo,
      reconstruction: mlpForward(ops, layouts.sideDecoder, weights.sideDecoder, encode()),
    },
  });
}
