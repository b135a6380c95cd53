import { midpointWidth } from './hidden-size.js';
import { buildMlp, type Mlp, type MlpOptions, resolveMlpOptions } from './mlp.js';

/** Options of {@link createDecoder}; as {@link MlpOptions} with WAD-CMSN's defaults. */
export interface DecoderOptions extends Omit<MlpOptions, 'inputDim'> {
  /** Semantic subspace width `d`; default 64. */
  inputDim?: number;
  /** Visual feature width `D_v` to reconstruct. */
  outputDim: number;
  /** Hidden widths; default `[h]` with `h = round((d + D_v) / 2)` (SEM-PCYC's rule). */
  hiddenDims?: number[];
  /** Dropout after each hidden activation in training; default 0.5 (as the projectors). */
  dropout?: number;
}

/** A semantic-to-visual decoder `F_m`: `[batch, d]` -> `[batch, D_v]`. */
export type Decoder = Mlp<'decoder'>;

/**
 * Builds the decoder of one branch, mapping semantic embeddings back to visual features for the
 * reconstruction (cycle-consistency) term: `d -> h -> D_v`, leaky ReLU 0.2, dropout 0.5 in
 * training, linear output. The cycle term and this layout follow SEM-PCYC (Dutta & Akata,
 * CVPR 2019); the WAD-CMSN abstract does not describe a decoder.
 *
 * @throws SemanticError naming the option that is wrong.
 */
export function createDecoder(options: DecoderOptions): Decoder {
  const inputDim = options.inputDim ?? 64;
  return buildMlp(
    resolveMlpOptions('createDecoder', 'decoder', {
      ...options,
      inputDim,
      hiddenDims: options.hiddenDims ?? [midpointWidth(inputDim, options.outputDim)],
      dropout: options.dropout ?? 0.5,
    }),
  );
}
