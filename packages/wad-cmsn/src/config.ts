import { createLoss, LossError } from '@zs-sbir/losses';
import { ConfigError } from './config-error.js';
import { lossTerms } from './loss-terms.js';
import { type Schema, validate } from './schema.js';

/**
 * The WAD-CMSN recipe's configuration. Every value has a default; the comment on each says where
 * it comes from. WAD-CMSN's abstract (Xu, Hu & Cai, 2022) fixes the structure (per-branch
 * projection into a semantic subspace, a Wasserstein critic, identity matching); the numbers
 * follow SEM-PCYC (Dutta & Akata, CVPR 2019), PCMSN (Deng et al., TIP 2020) and WGAN-GP
 * (Gulrajani et al., 2017) unless marked "measured", which means chosen on validation classes of
 * the built-in benchmark (docs/benchmarks.md).
 */
export interface WadCmsnConfig {
  /** Seed of every random draw: weight init, dropout, batches, critic interpolation. */
  seed: number;
  /** Width `d` of the semantic subspace (SEM-PCYC: 64). */
  embeddingDim: number;
  /** Input standardisation with training-class statistics per modality. */
  inputNormalisation: 'zscore' | 'centre' | 'none';
  projector: { hiddenDims: number[] | null; leakySlope: number; dropout: number };
  decoder: { hiddenDims: number[] | null; leakySlope: number; dropout: number };
  sideInfo: { hiddenDims: number[] };
  critic: {
    placement: 'semantic' | 'cross-modal' | 'none';
    kind: 'wgan-gp' | 'wgan-lp' | 'wgan-clip' | 'lsgan' | 'gan';
    hiddenDims: number[] | null;
    steps: number;
    gradientPenalty: number;
    clip: number;
    learningRate: number;
    beta1: number;
    beta2: number;
  };
  /** Loss terms by registry name: `{ weight, ...options }`; weight 0 (or `null` in input) switches a term off. */
  losses: Record<string, { weight: number; [option: string]: unknown }>;
  optimiser: { learningRate: number; beta1: number; beta2: number };
  training: { batchSize: number; stepsPerEpoch: number; epochs: number; patience: number };
  retrieval: { similarity: 'cosine' | 'euclidean' | 'exp-euclidean' };
}

const slope = { type: 'number', min: 0, max: 1, doc: 'leaky ReLU negative slope' } as const;
const hidden = (doc: string): Schema => ({
  type: 'nullable',
  of: { type: 'array', of: { type: 'number', integer: true, min: 1, doc: 'width' }, doc },
  doc,
});

/** The schema every config is checked against. */
export const CONFIG_SCHEMA: Schema = {
  type: 'object',
  doc: 'WAD-CMSN config',
  fields: {
    seed: { type: 'number', integer: true, min: 0, doc: 'seed of every random draw' },
    embeddingDim: { type: 'number', integer: true, min: 1, doc: 'semantic subspace width d' },
    inputNormalisation: {
      type: 'enum',
      values: ['zscore', 'centre', 'none'],
      doc: 'per-modality input standardisation with training statistics',
    },
    projector: {
      type: 'object',
      doc: 'visual-to-semantic projectors G_sk, G_im',
      fields: {
        hiddenDims: hidden('hidden widths; null: [h, h] with h = (D_v + d) / 2'),
        leakySlope: slope,
        dropout: { type: 'number', min: 0, max: 0.95, doc: 'dropout rate in training' },
      },
    },
    decoder: {
      type: 'object',
      doc: 'decoders F_sk, F_im back to visual space',
      fields: {
        hiddenDims: hidden('hidden widths; null: [h]'),
        leakySlope: slope,
        dropout: { type: 'number', min: 0, max: 0.95, doc: 'dropout rate in training' },
      },
    },
    sideInfo: {
      type: 'object',
      doc: 'side-information autoencoder E_se',
      fields: {
        hiddenDims: {
          type: 'array',
          of: { type: 'number', integer: true, min: 1, doc: 'width' },
          doc: 'encoder hidden widths ([] = linear)',
        },
      },
    },
    critic: {
      type: 'object',
      doc: 'the Wasserstein critic',
      fields: {
        placement: {
          type: 'enum',
          values: ['semantic', 'cross-modal', 'none'],
          doc: 'semantic: prototypes vs projections per branch; cross-modal: sketch vs image projections; none: no critic',
        },
        kind: {
          type: 'enum',
          values: ['wgan-gp', 'wgan-lp', 'wgan-clip', 'lsgan', 'gan'],
          doc: 'critic objective',
        },
        hiddenDims: hidden('hidden widths; null: [d/2, d/2]'),
        steps: {
          type: 'number',
          integer: true,
          min: 1,
          doc: 'critic updates per projector update',
        },
        gradientPenalty: { type: 'number', min: 0, doc: 'lambda_gp' },
        clip: { type: 'number', min: 0, doc: 'weight clipping bound for wgan-clip' },
        learningRate: { type: 'number', min: 0, doc: 'critic Adam learning rate' },
        beta1: { type: 'number', min: 0, max: 1, doc: 'critic Adam beta1' },
        beta2: { type: 'number', min: 0, max: 1, doc: 'critic Adam beta2' },
      },
    },
    losses: {
      type: 'record',
      doc: 'loss terms by name',
      of: { type: 'any-object', doc: '{ weight, ...options } of one loss term' },
    },
    optimiser: {
      type: 'object',
      doc: 'Adam for projectors, decoders and E_se',
      fields: {
        learningRate: { type: 'number', min: 0, doc: 'learning rate' },
        beta1: { type: 'number', min: 0, max: 1, doc: 'beta1' },
        beta2: { type: 'number', min: 0, max: 1, doc: 'beta2' },
      },
    },
    training: {
      type: 'object',
      doc: 'the training loop',
      fields: {
        batchSize: { type: 'number', integer: true, min: 2, doc: 'sketch-image pairs per step' },
        stepsPerEpoch: { type: 'number', integer: true, min: 1, doc: 'steps per epoch' },
        epochs: { type: 'number', integer: true, min: 1, doc: 'maximum epochs' },
        patience: {
          type: 'number',
          integer: true,
          min: 1,
          doc: 'early-stopping patience in epochs',
        },
      },
    },
    retrieval: {
      type: 'object',
      doc: 'how embeddings are compared',
      fields: {
        similarity: {
          type: 'enum',
          values: ['cosine', 'euclidean', 'exp-euclidean'],
          doc: 'similarity of L2-normalised embeddings',
        },
      },
    },
  },
};

/** The defaults, with their sources (see docs/wad-cmsn.md for the full table). */
export const DEFAULT_CONFIG: WadCmsnConfig = {
  seed: 0,
  embeddingDim: 64, // SEM-PCYC
  inputNormalisation: 'zscore', // measured (the PyTorch reference z-scored inputs)
  projector: { hiddenDims: null, leakySlope: 0.2, dropout: 0.5 }, // SEM-PCYC
  decoder: { hiddenDims: null, leakySlope: 0.2, dropout: 0 }, // SEM-PCYC
  sideInfo: { hiddenDims: [] }, // SEM-PCYC's semantic autoencoder: linear
  critic: {
    placement: 'semantic', // wad-cmsn.md's reading of the abstract
    kind: 'wgan-gp', // WGAN-GP
    hiddenDims: null, // d/2, d/2
    steps: 5, // WGAN-GP n_critic
    gradientPenalty: 10, // WGAN-GP lambda
    clip: 0.01, // WGAN (Arjovsky et al., 2017)
    learningRate: 1e-4, // WGAN-GP
    beta1: 0.5, // WGAN-GP
    beta2: 0.9, // WGAN-GP
  },
  losses: {
    adversarial: { weight: 1 }, // WGAN
    identity: { weight: 1, tau: 0.1 }, // our reading of "identity matching"
    regression: { weight: 0.1 }, // SEM-PCYC's regression weight
    reconstruction: { weight: 1, norm: 'l1' }, // SEM-PCYC cycle term (SEM-PCYC uses 10)
    'side-info': { weight: 1 }, // SEM-PCYC semantic autoencoder
  },
  optimiser: { learningRate: 1e-4, beta1: 0.5, beta2: 0.999 }, // SEM-PCYC
  training: { batchSize: 128, stepsPerEpoch: 100, epochs: 100, patience: 20 }, // SEM-PCYC batch; early stopping
  retrieval: { similarity: 'cosine' },
};

/** A partial config: any subset of keys, merged over {@link DEFAULT_CONFIG}. */
export type WadCmsnConfigInput = {
  [K in keyof WadCmsnConfig]?: WadCmsnConfig[K] extends object
    ? WadCmsnConfig[K] extends unknown[]
      ? WadCmsnConfig[K]
      : Partial<WadCmsnConfig[K]> | (K extends 'losses' ? Record<string, unknown> : never)
    : WadCmsnConfig[K];
};

/**
 * A loss term given as `null` becomes the default term with weight 0 (switched off, options
 * kept), so resolving a resolved config changes nothing.
 */
function switchOffNullTerms(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const { losses } = input as { losses?: unknown };
  if (typeof losses !== 'object' || losses === null || Array.isArray(losses)) return input;
  const terms = Object.fromEntries(
    Object.entries(losses).map(([name, term]) => [
      name,
      term === null ? { ...(DEFAULT_CONFIG.losses[name] ?? {}), weight: 0 } : term,
    ]),
  );
  return { ...input, losses: terms };
}

/**
 * Checks every loss term against the loss registry: its name (or `loss`) must be registered, its
 * weight finite, and its options those the loss accepts; at least one term must be on. Each term is built once (switched-off
 * terms too, so a typo cannot hide behind weight 0) and disposed at once.
 */
function checkLossTerms(config: WadCmsnConfig): void {
  // Two classes stand in for the seen classes a classification term is sized for at build time.
  const filled = lossTerms(config, 2);
  for (const [name, term] of Object.entries(config.losses)) {
    const { weight, loss = name, ...options } = filled[name] ?? term;
    if (typeof weight !== 'number' || !Number.isFinite(weight)) {
      throw new ConfigError(
        `config.losses.${name}.weight is ${JSON.stringify(weight)}: expected a finite number`,
      );
    }
    try {
      createLoss(String(loss), options).dispose();
    } catch (err) {
      if (!(err instanceof LossError)) throw err;
      throw new ConfigError(`config.losses.${name}: ${err.message.replace(/^createLoss: /, '')}`);
    }
  }
}

/**
 * Merges `input` over {@link DEFAULT_CONFIG} and validates it, loss terms included (each name
 * must be in the loss registry and each option one the loss accepts). A loss term set to `null`
 * (or weight 0) is switched off. Resolving a resolved config returns an equal config.
 *
 * @throws ConfigError naming the wrong key or value and the valid choices.
 */
export function resolveConfig(input: unknown = {}): WadCmsnConfig {
  const config = validate(
    CONFIG_SCHEMA,
    switchOffNullTerms(input),
    DEFAULT_CONFIG,
    'config',
  ) as WadCmsnConfig;
  checkLossTerms(config);
  return config;
}
