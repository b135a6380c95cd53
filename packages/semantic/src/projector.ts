import { midpointWidth } from './hidden-size.js';
import { buildMlp, type Mlp, type MlpOptions, resolveMlpOptions } from './mlp.js';

/** Options of {@link createProjector}; as {@link MlpOptions} with WAD-CMSN's defaults. */
export interface ProjectorOptions extends Omit<MlpOptions, 'outputDim'> {
  /** Visual feature width `D_v` (e.g. 4096 for VGG16 fc7, 1280 for MobileNetV2). */
  inputDim: number;
  /** Semantic subspace width `d`; default 64 (SEM-PCYC's 64-d embedding). */
  outputDim?: number;
  /** Hidden widths; default `[h, h]` with `h = round((D_v + d) / 2)` (SEM-PCYC's rule). */
  hiddenDims?: number[];
  /** Dropout after each hidden activation in training; default 0.5 (SEM-PCYC). */
  dropout?: number;
}

/** A visual-to-semantic projector `G_m`: `[batch, D_v]` -> `[batch, d]`. */
export type Projector = Mlp<'projector'>;

/**
 * Builds the visual-to-semantic projector of one branch (sketch or image) of WAD-CMSN:
 * `D_v -> h -> h -> d`, leaky ReLU (slope 0.2) and dropout 0.5 after each hidden layer, linear
 * output. The WAD-CMSN abstract (Xu, Hu & Cai, 2022) fixes only that each branch is projected into
 * a low-dimensional semantic subspace; the layer layout, `h`, slope, dropout and `d = 64` follow
 * SEM-PCYC (Dutta & Akata, CVPR 2019). Each branch gets its own projector (and its own seed).
 *
 * @throws SemanticError naming the option that is wrong.
 */
export function createProjector(options: ProjectorOptions): Projector {
  const outputDim = options.outputDim ?? 64;
  const h = midpointWidth(options.inputDim, outputDim);
  return buildMlp(
    resolveMlpOptions('createProjector', 'projector', {
      ...options,
      outputDim,
      hiddenDims: options.hiddenDims ?? [h, h],
      dropout: options.dropout ?? 0.5,
    }),
  );
}
