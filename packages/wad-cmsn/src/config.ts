import { integerSchema, numberSchema, oneOfSchema, validate } from '@zs-sbir/core';
import { createLoss, LossError } from '@zs-sbir/losses';
import * as v from 'valibot';
import { ConfigError } from './config-error.js';
import { lossTerms } from './loss-terms.js';

/** The input normalisations {@link WadCmsnConfig.inputNormalisation} takes. */
export const INPUT_NORMALISATIONS = ['zscore', 'centre', 'none', 'zscore-l2', 'centre-l2'] as const;

/** One of {@link INPUT_NORMALISATIONS}. */
export type InputNormalisation = (typeof INPUT_NORMALISATIONS)[number];

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
  /**
   * Input standardisation with training-class statistics per modality; the `-l2` forms then scale
   * each row to unit L2 norm.
   */
  inputNormalisation: InputNormalisation;
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

/**
 * A field of the config: its schema, its doc text and the source of its default (both for the
 * generated config reference), and its default.
 */
function field<S extends v.GenericSchema, const D extends v.InferOutput<S>>(
  schema: S,
  doc: string,
  fallback: D,
  source = '',
) {
  return v.optional(v.pipe(schema, v.description(doc), v.metadata({ source })), fallback);
}

/** A section of the config: unknown keys refused, every key defaulted. */
function section<E extends v.ObjectEntries>(doc: string, entries: E) {
  const schema = v.pipe(v.strictObject(entries), v.description(doc));
  return v.optional(schema, {} as v.InferInput<typeof schema>);
}

const slope = (source = '') =>
  field(numberSchema({ min: 0, max: 1 }), 'leaky ReLU negative slope', 0.2, source);
const hidden = (doc: string, source = '') =>
  field(v.nullable(v.array(integerSchema())), doc, null, source);
const dropout = (fallback: number, source = '') =>
  field(numberSchema({ min: 0, max: 0.95 }), 'dropout rate in training', fallback, source);
const unitInterval = (doc: string, fallback: number, source = '') =>
  field(numberSchema({ min: 0, max: 1 }), doc, fallback, source);
const nonNegative = (doc: string, fallback: number, source = '') =>
  field(numberSchema({ min: 0 }), doc, fallback, source);

/** The default loss terms, each `{ weight, ...options }`. */
const DEFAULT_LOSSES: WadCmsnConfig['losses'] = {
  adversarial: { weight: 1 }, // WGAN
  identity: { weight: 1, tau: 0.1 }, // our reading of "identity matching"
  regression: { weight: 0.1 }, // SEM-PCYC's regression weight
  reconstruction: { weight: 1, norm: 'l1' }, // SEM-PCYC cycle term (SEM-PCYC uses 10)
  'side-info': { weight: 1 }, // SEM-PCYC semantic autoencoder
};

/**
 * The loss terms, merged key by key over the defaults; a term given as `null` becomes the default
 * term with weight 0 (switched off, options kept), so resolving a resolved config changes nothing.
 */
const losses = v.optional(
  v.pipe(
    v.record(v.string(), v.nullable(v.looseObject({}))),
    v.transform((terms) => {
      const merged: WadCmsnConfig['losses'] = { ...DEFAULT_LOSSES };
      for (const [name, term] of Object.entries(terms)) {
        merged[name] =
          term === null
            ? { ...(DEFAULT_LOSSES[name] ?? {}), weight: 0 }
            : (term as WadCmsnConfig['losses'][string]);
      }
      return merged;
    }),
    v.description(
      'loss terms by registry name, each `{ weight, loss?, ...options }`, merged over the defaults; weight 0 or `null` switches a term off',
    ),
    v.metadata({ source: 'WGAN; identity: our reading of the abstract; SEM-PCYC' }),
  ),
  {},
);

/**
 * The schema (valibot) every config is checked against: types, ranges, the doc text of each key
 * (`v.getDescription`), its default and the default's source (`v.getMetadata(...).source`). The
 * config reference in the README is generated from it (`configReference()`).
 */
export const WAD_CMSN_CONFIG = v.strictObject({
  seed: field(integerSchema({ min: 0 }), 'seed of every random draw', 0),
  embeddingDim: field(integerSchema(), 'semantic subspace width d', 64, 'SEM-PCYC'),
  inputNormalisation: field(
    oneOfSchema(INPUT_NORMALISATIONS),
    'per-modality input standardisation with training statistics (zscore: minus mean, over std; centre: minus mean); -l2: then each row scaled to unit L2 norm',
    'zscore',
    'measured (the PyTorch reference z-scored inputs; centre and the -l2 forms: no gain on QD-Emoji validation)',
  ),
  projector: section('visual-to-semantic projectors G_sk, G_im', {
    hiddenDims: hidden('hidden widths; null: [h, h] with h = (D_v + d) / 2', 'SEM-PCYC'),
    leakySlope: slope('SEM-PCYC'),
    dropout: dropout(0.5, 'SEM-PCYC'),
  }),
  decoder: section('decoders F_sk, F_im back to visual space', {
    hiddenDims: hidden('hidden widths; null: [h]', 'SEM-PCYC'),
    leakySlope: slope('SEM-PCYC'),
    dropout: dropout(0, 'SEM-PCYC'),
  }),
  sideInfo: section('side-information autoencoder E_se', {
    hiddenDims: field(
      v.array(integerSchema()),
      'encoder hidden widths ([] = linear)',
      [],
      "SEM-PCYC's semantic autoencoder: linear",
    ),
  }),
  critic: section('the Wasserstein critic', {
    placement: field(
      oneOfSchema(['semantic', 'cross-modal', 'none']),
      'semantic: prototypes vs projections per branch; cross-modal: sketch vs image projections; none: no critic',
      'semantic',
      "wad-cmsn.md's reading of the abstract",
    ),
    kind: field(
      oneOfSchema(['wgan-gp', 'wgan-lp', 'wgan-clip', 'lsgan', 'gan']),
      'critic objective',
      'wgan-gp',
      'WGAN-GP',
    ),
    hiddenDims: hidden('hidden widths; null: [d/2, d/2]'),
    steps: field(integerSchema(), 'critic updates per projector update', 5, 'WGAN-GP n_critic'),
    gradientPenalty: nonNegative('lambda_gp', 10, 'WGAN-GP lambda'),
    clip: nonNegative('weight clipping bound for wgan-clip', 0.01, 'WGAN (Arjovsky et al., 2017)'),
    learningRate: nonNegative('critic Adam learning rate', 1e-4, 'WGAN-GP'),
    beta1: unitInterval('critic Adam beta1', 0.5, 'WGAN-GP'),
    beta2: unitInterval('critic Adam beta2', 0.9, 'WGAN-GP'),
  }),
  losses,
  optimiser: section('Adam for projectors, decoders and E_se', {
    learningRate: nonNegative('learning rate', 1e-4, 'SEM-PCYC'),
    beta1: unitInterval('beta1', 0.5, 'SEM-PCYC'),
    beta2: unitInterval('beta2', 0.999, 'SEM-PCYC'),
  }),
  training: section('the training loop', {
    batchSize: field(integerSchema({ min: 2 }), 'sketch-image pairs per step', 128, 'SEM-PCYC'),
    stepsPerEpoch: field(integerSchema(), 'steps per epoch', 100),
    epochs: field(integerSchema(), 'maximum epochs', 100),
    patience: field(integerSchema(), 'early-stopping patience in epochs', 20, 'early stopping'),
  }),
  retrieval: section('how embeddings are compared', {
    similarity: field(
      oneOfSchema(['cosine', 'euclidean', 'exp-euclidean']),
      'similarity of L2-normalised embeddings',
      'cosine',
    ),
  }),
});

/** The defaults: {@link WAD_CMSN_CONFIG} applied to `{}` (see docs/wad-cmsn.md for sources). */
export const DEFAULT_CONFIG: WadCmsnConfig = v.parse(WAD_CMSN_CONFIG, {});

/** A partial config: any subset of keys, merged over {@link DEFAULT_CONFIG}. */
export type WadCmsnConfigInput = {
  [K in keyof WadCmsnConfig]?: WadCmsnConfig[K] extends object
    ? WadCmsnConfig[K] extends unknown[]
      ? WadCmsnConfig[K]
      : Partial<WadCmsnConfig[K]> | (K extends 'losses' ? Record<string, unknown> : never)
    : WadCmsnConfig[K];
};

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
  const config: WadCmsnConfig = validate(WAD_CMSN_CONFIG, input, {
    path: 'config',
    error: ConfigError,
  });
  checkLossTerms(config);
  return config;
}
