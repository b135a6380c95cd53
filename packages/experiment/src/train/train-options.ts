import type { Protocol } from '@zs-sbir/metrics';
import type { TrainEngine } from '@zs-sbir/wad-cmsn';
import type { ExperimentSpec } from '../experiment/prepare-experiment.js';
import type { TrainedMethod } from './methods.js';

/** What {@link runTrainPipeline} trains and where: `zs-sbir-train`'s options, parsed and checked. */
export interface TrainOptions extends ExperimentSpec {
  /** A JSON config file merged over the recipe's defaults and the dataset preset. */
  config?: string;
  /** Output folder: one folder per method, `summary.json` with `compare`. */
  out: string;
  /** Continue the runs in `out` (`--resume`, or `--resume-from`). */
  resume: boolean;
  /** The checkpoint a resume continues from; default `last`. */
  resumeFrom?: 'last' | 'best';
  /** Train again over what `out` holds (`--overwrite`). */
  overwrite: boolean;
  /** Also run the baselines and ablations and write `summary.json`. */
  compare: boolean;
  overrides: { epochs?: number; batchSize?: number; seed?: number };
  protocol: Protocol;
  /** Train only this method (a --compare job); default: wad-cmsn, or all with `compare`. */
  method?: TrainedMethod;
  /** Engine of the training steps: onnx (ONNX Runtime), tfjs, or auto (onnx where it can). */
  engine: TrainEngine;
  /**
   * ONNX Runtime threads per training job, when given; default: every core (a `compare` job is
   * given its share by the app that starts it).
   */
  threads?: number;
}
