import {
  ACTIVATION_NAMES,
  type ActivationName,
  createRng,
  type ErrorClass,
  integerSchema,
  numberSchema,
  oneOfSchema,
  seedSchema,
  tf,
  tfOps,
  validate,
} from '@zs-sbir/core';
import * as v from 'valibot';
import { dropoutMask } from './dropout-mask.js';
import { SemanticError } from './errors.js';
import { mlpForward } from './mlp-forward.js';
import type { ApplyOptions, SemanticModule } from './semantic-module.js';
import { initWeights, WEIGHT_INITS, type WeightInit } from './weight-init.js';

/** Options of {@link createMlp}. */
export interface MlpOptions {
  /** Input width `D_in`. */
  inputDim: number;
  /** Output width `D_out`; the output layer is linear. */
  outputDim: number;
  /** Widths of the hidden layers, in order; default `[]` (one linear layer). */
  hiddenDims?: number[];
  /**
   * Hidden-layer activation, one of core's double-backprop-safe activations; default
   * `'leaky-relu'`.
   */
  activation?: ActivationName;
  /** Negative-side slope of `'leaky-relu'`; default 0.2. */
  leakySlope?: number;
  /** Dropout rate after each hidden activation, in training only, in `[0, 1)`; default 0. */
  dropout?: number;
  /** Weight initialisation; default `'glorot-uniform'`. Biases start at zero. */
  init?: WeightInit;
  /** Seed of the weight initialisation and of the dropout masks (required). */
  seed: number | string;
}

/** The resolved options of an MLP: every default filled in, plus the kind of module it is. */
export interface MlpConfig<K extends string = 'mlp'> extends Required<MlpOptions> {
  kind: K;
}

/** A stack of dense layers; see {@link createMlp}. */
export type Mlp<K extends string = 'mlp'> = SemanticModule<MlpConfig<K>>;

const MLP_OPTION_ENTRIES = {
  inputDim: integerSchema(),
  outputDim: integerSchema(),
  hiddenDims: v.optional(v.array(integerSchema()), []),
  activation: v.optional(oneOfSchema(ACTIVATION_NAMES), 'leaky-relu'),
  leakySlope: v.optional(numberSchema(), 0.2),
  dropout: v.optional(numberSchema({ min: 0, max: 1, maxExclusive: true }), 0),
  init: v.optional(oneOfSchema(WEIGHT_INITS), 'glorot-uniform'),
  seed: seedSchema(),
};

/** The schema (valibot) of {@link MlpOptions}: unknown names are refused, defaults filled in. */
export const MLP_OPTIONS = v.strictObject(MLP_OPTION_ENTRIES);

/** The option names {@link createMlp} accepts. */
export const MLP_OPTION_NAMES = Object.keys(MLP_OPTION_ENTRIES) as readonly (keyof MlpOptions)[];

/**
 * Fills in the defaults of {@link MlpOptions} and validates every option against
 * {@link MLP_OPTIONS}.
 *
 * @param where - the caller's name for error messages, e.g. `createProjector`.
 * @param extra - further option names the caller accepts (checked elsewhere).
 * @param error - the error class to throw.
 */
export function resolveMlpOptions<K extends string>(
  where: string,
  kind: K,
  options: MlpOptions,
  { extra = [] as readonly string[], error = SemanticError as ErrorClass } = {},
): MlpConfig<K> {
  const schema = extra.length
    ? v.strictObject({
        ...MLP_OPTION_ENTRIES,
        ...Object.fromEntries(extra.map((name) => [name, v.optional(v.unknown())])),
      })
    : MLP_OPTIONS;
  const o = validate(schema, options, { where, error });
  return {
    kind,
    inputDim: o.inputDim,
    outputDim: o.outputDim,
    hiddenDims: [...o.hiddenDims],
    activation: o.activation,
    leakySlope: o.leakySlope,
    dropout: o.dropout,
    init: o.init,
    seed: o.seed,
  };
}

/**
 * Builds the module a resolved {@link MlpConfig} describes: dense layers
 * `h_{i+1} = dropout(act(h_i W_i + b_i))` for the hidden layers, then a linear output layer.
 * Weights are drawn from `createRng(seed)`, layer by layer; dropout masks from a second stream
 * seeded by `` `${seed}/dropout` ``, so a run is reproducible from the seed on every backend.
 */
export function buildMlp<K extends string>(
  config: MlpConfig<K>,
  error: ErrorClass = SemanticError,
): Mlp<K> {
  const dims = [config.inputDim, ...config.hiddenDims, config.outputDim];
  const weightRng = createRng(config.seed);
  const dropoutRng = createRng(`${config.seed}/dropout`);
  const variables: tf.Variable[] = [];
  for (let i = 0; i + 1 < dims.length; i++) {
    const fanIn = dims[i]!;
    const fanOut = dims[i + 1]!;
    variables.push(
      tf.variable(tf.tensor2d(initWeights(config.init, fanIn, fanOut, weightRng), [fanIn, fanOut])),
      tf.variable(tf.zeros([fanOut])),
    );
  }

  function apply(x: tf.Tensor2D, { training = false, rng }: ApplyOptions = {}): tf.Tensor2D {
    if (x.rank !== 2 || x.shape[1] !== config.inputDim) {
      throw new error(
        `${config.kind}.apply: input must be [batch, ${config.inputDim}], got [${x.shape.join(', ')}]`,
      );
    }
    const masks =
      training && config.dropout > 0
        ? config.hiddenDims.map((cols) =>
            dropoutMask(x.shape[0], cols, config.dropout, rng ?? dropoutRng),
          )
        : undefined;
    try {
      return tf.tidy(() => mlpForward(tfOps, config, variables, x, { masks }) as tf.Tensor2D);
    } finally {
      if (masks) tf.dispose(masks);
    }
  }

  function setWeights(weights: readonly Float32Array[]): void {
    if (weights.length !== variables.length) {
      throw new error(
        `${config.kind}.setWeights: expected ${variables.length} arrays ([W1, b1, ...]), got ${weights.length}`,
      );
    }
    variables.forEach((v, i) => {
      if (weights[i]!.length !== v.size) {
        throw new error(
          `${config.kind}.setWeights: array ${i} must hold ${v.size} values for shape [${v.shape.join(', ')}], got ${weights[i]!.length}`,
        );
      }
    });
    tf.tidy(() => {
      for (const [i, v] of variables.entries()) v.assign(tf.tensor(weights[i]!, v.shape));
    });
  }

  return {
    config,
    trainableVariables: variables,
    apply,
    getWeights: () => variables.map((v) => (v.dataSync() as Float32Array).slice()),
    setWeights,
    dispose: () => {
      for (const v of variables) v.dispose();
    },
  };
}

/**
 * A multilayer perceptron: the dense-layer stack behind projectors, decoders, the side-information
 * autoencoder and `@zs-sbir/critic`'s critics.
 *
 * `apply`: `[batch, inputDim]` -> `[batch, outputDim]`; `trainableVariables` are
 * `[W1, b1, ..., Wout, bout]` with each `W` shaped `[in, out]`.
 *
 * @throws SemanticError naming the option that is wrong (unknown names list the valid ones).
 */
export function createMlp(options: MlpOptions): Mlp {
  return buildMlp(resolveMlpOptions('createMlp', 'mlp', options));
}
