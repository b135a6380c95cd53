import { type Ops, tf, tfOps } from '@zs-sbir/core';

/** The two branches of sketch-based retrieval. */
export type Modality = 'sketch' | 'image';

/** Something given per modality; either may be absent. */
export type PerModality<T> = Partial<Record<Modality, T>>;

/** A critic's scores on one batch, `[batch, 1]` each. */
export interface CriticScores<T = tf.Tensor> {
  /** Scores of the "fake" samples (projections). */
  fake: T;
  /**
   * Scores of the "real" samples, given only when those also come from a projector (the
   * cross-modal critic), so the projector side must move them too.
   */
  real?: T;
}

/** A reconstruction and what it should equal, `[batch, D]` each. */
export interface Reconstruction<T = tf.Tensor> {
  output: T;
  target: T;
}

/**
 * Everything a loss term may read, as tensors of the engine's type `T` (`tf.Tensor` for
 * TensorFlow.js). Each term uses what it needs and throws a `LossError` naming the missing field;
 * no term modifies or disposes the context.
 */
export interface LossContext<T = tf.Tensor> {
  /** Semantic embeddings `z_m = G_m(x_m)`, `[batch, d]` per modality. */
  embeddings?: PerModality<T>;
  /**
   * Class index (into `prototypes`) of each row, `[batch]` (int32 in TensorFlow.js): one tensor
   * when sketches and images are class-paired row by row, or one per modality.
   */
  labels?: T | PerModality<T>;
  /** Prototypes of all seen classes `p_c = E_se(s_c)`, `[classes, d]`. */
  prototypes?: T;
  /** Critic scores by critic name (`sketch`, `image`, `cross-modal`, ...). */
  criticScores?: Record<string, CriticScores<T>>;
  /** Decoder outputs `F_m(z_m)` and their targets `x_m`, per modality. */
  reconstructions?: PerModality<Reconstruction<T>>;
  /** Side information `s` and the autoencoder's reconstruction `dec(E_se(s))`, `[classes, D_s]`. */
  sideInfo?: { input: T; reconstruction: T };
}

/** A loss value and its named parts for logging (scalars the caller owns and disposes). */
export interface LossResult<T = tf.Scalar> {
  loss: T;
  parts: Record<string, T>;
}

/**
 * A loss's math, written once against core's {@link Ops}: the same function runs eagerly on
 * TensorFlow.js (`tfOps`) and symbolically on the ONNX Runtime engine's graph.
 */
export type LossFunction = <T>(ops: Ops<T>, ctx: LossContext<T>) => LossResult<T>;

/**
 * A loss term: called with a {@link LossContext} of TensorFlow.js tensors, returns a scalar and
 * named parts; {@link Loss.compute} runs the same math on any {@link Ops}. Built by name from a
 * registry (`createLoss`) or composed (`weighted`, `lossFromConfig`).
 */
export interface Loss {
  (ctx: LossContext): LossResult;
  /** The loss's math on any engine's operations (what the call runs with `tfOps`). */
  compute: LossFunction;
  /** The registry name the loss was built from (`'weighted'` for compositions). */
  readonly id: string;
  /** The resolved options (JSON); with `id`, enough to rebuild the loss. */
  readonly options: Readonly<Record<string, unknown>>;
  /**
   * Parameters the loss owns (e.g. a learned classifier's), read in `compute` through
   * `ops.variable`; train them with the projectors.
   */
  readonly trainableVariables: tf.Variable[];
  /** Frees owned parameters; a no-op for parameter-free losses. */
  dispose(): void;
}

/** What {@link makeLoss} needs besides the function. */
export interface LossExtras {
  trainableVariables?: tf.Variable[];
  dispose?: () => void;
}

/**
 * Turns a loss's math into a {@link Loss} with its id and options attached. Write `fn` with the
 * operations it is given (`ops.mul`, `ops.matMul`, ...; TensorFlow.js's names), never with `tf`
 * directly, and read owned variables through `ops.variable(v)`: then the loss trains on both
 * engines.
 */
export function makeLoss(
  id: string,
  options: Readonly<Record<string, unknown>>,
  fn: LossFunction,
  extras: LossExtras = {},
): Loss {
  const loss = (ctx: LossContext): LossResult =>
    tf.tidy(() => fn(tfOps, ctx) as LossResult<tf.Scalar> as never);
  return Object.assign(loss, {
    compute: fn,
    id,
    options,
    trainableVariables: extras.trainableVariables ?? [],
    dispose: extras.dispose ?? (() => {}),
  });
}
