import type { TrainOptions } from './train-options.js';

/** `zs-sbir-train`'s defaults as {@link TrainOptions}, with `overrides` on top (tests only). */
export function trainOptions(overrides: Partial<TrainOptions> = {}): TrainOptions {
  return {
    dataset: 'qd-emoji',
    backbone: 'mobilenet-v2',
    inputSize: 112,
    sideInfo: 'both',
    out: 'runs/qd-emoji',
    cacheDir: '/cache',
    resume: false,
    overwrite: false,
    compare: false,
    overrides: {},
    protocol: 'sklearn',
    engine: 'auto',
    ...overrides,
  };
}
