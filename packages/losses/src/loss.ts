import type { tf } from '@zs-sbir/core';

/** The two branches of sketch-based retrieval. */
export type Modality = 'sketch' | 'image';

/** Something given per modality; either may be absent. */
export type PerModality<T> = Partial<Record<Modality, T>>;

/** A critic's scores on one batch, `[batch, 1]` each. */
export interface CriticScores {
  /** Scores of the "fake" samples (projections). */
  fake: tf.Tensor;
  /**
   * Scores of the "real" samples, given only when those also come from a projector (the
   * cross-modal critic), so the projector side must move them too.
   */
  real?: tf.Tensor;
}

/** A reconstruction and what it should equal, `[batch, D]` each. */
export interface Reconstruction {
  output: tf.Tensor2D;
  target: tf.Tensor2D;
}

/**
 * Everything a loss term may read. Each term uses what it needs and throws a `LossError` naming
 * the missing field; no term modifies or disposes the context.
 */
export interface LossContext {
  /** Semantic embeddings `z_m = G_m(x_m)`, `[batch, d]` per modality. */
  embeddings?: PerModality<tf.Tensor2D>;
  /**
   * Class index (into `prototypes`) of each row, int32 `[batch]`: one tensor when sketches and
   * images are class-paired row by row, or one per modality.
   */
  labels?: tf.Tensor1D | PerModality<tf.Tensor1D>;
  /** Prototypes of all seen classes `p_c = E_se(s_c)`, `[classes, d]`. */
  prototypes?: tf.Tensor2D;
  /** Critic scores by critic name (`sketch`, `image`, `cross-modal`, ...). */
  criticScores?: Record<string, CriticScores>;
  /** Decoder outputs `F_m(z_m)` and their targets `x_m`, per modality. */
  reconstructions?: PerModality<Reconstruction>;
  /** Side information `s` and the autoencoder's reconstruction `dec(E_se(s))`, `[classes, D_s]`. */
  sideInfo?: { input: tf.Tensor2D; reconstruction: tf.Tensor2D };
}

/** A loss value and its named parts for logging (scalars the caller owns and disposes). */
export interface LossResult {
  loss: tf.Scalar;
  parts: Record<string, tf.Scalar>;
}

/**
 * A loss term: called with a {@link LossContext}, returns a scalar and named parts. Built by name
 * from a registry (`createLoss`) or composed (`weighted`, `lossFromConfig`).
 */
export interface Loss {
  (ctx: LossContext): LossResult;
  /** The registry name the loss was built from (`'weighted'` for compositions). */
  readonly id: string;
  /** The resolved options (JSON); with `id`, enough to rebuild the loss. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Parameters the loss owns (e.g. a learned classifier's); train them with the projectors. */
  readonly trainableVariables: tf.Variable[];
  /** Frees owned parameters; a no-op for parameter-free losses. */
  dispose(): void;
}

/** What {@link makeLoss} needs besides the function. */
export interface LossExtras {
  trainableVariables?: tf.Variable[];
  dispose?: () => void;
}

/** Turns a function of the context into a {@link Loss} with its id and options attached. */
export function makeLoss(
  id: string,
  options: Readonly<Record<string, unknown>>,
  fn: (ctx: LossContext) => LossResult,
  extras: LossExtras = {},
): Loss {
  const loss = (ctx: LossContext) => fn(ctx);
  return Object.assign(loss, {
    id,
    options,
    trainableVariables: extras.trainableVariables ?? [],
    dispose: extras.dispose ?? (() => {}),
  });
}
