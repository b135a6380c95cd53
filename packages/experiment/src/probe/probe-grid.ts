import { readFile } from 'node:fs/promises';
import { BACKBONE_NAMES } from '@zs-sbir/backbones';
import { integerSchema, validateJson } from '@zs-sbir/core';
import * as v from 'valibot';
import { ExperimentError } from '../experiment/experiment-error.js';
import type { ProbeCandidate } from './feature-probe.js';

/**
 * The candidates `zs-sbir-train --probe-features` scores when no grid file is given: the bundled
 * backbones at the layers their nsfwjs fine-tuning left as ImageNet trained them (and the
 * default `out_relu` for comparison), each at 224 px and a smaller size.
 */
export const DEFAULT_PROBE_GRID: readonly ProbeCandidate[] = [
  ...[112, 224].flatMap((inputSize) => [
    { backbone: 'mobilenet-v2', layer: 'out_relu', inputSize },
    { backbone: 'mobilenet-v2', layer: 'block_13_expand_relu', inputSize },
    { backbone: 'mobilenet-v2-1.4', layer: 'expanded_conv_13', inputSize },
    { backbone: 'mobilenet-v2-1.4', layer: 'expanded_conv_12', inputSize },
  ]),
  ...[150, 224].flatMap((inputSize) =>
    ['mixed4', 'mixed5', 'mixed6'].map((layer) => ({ backbone: 'inception-v3', layer, inputSize })),
  ),
] as ProbeCandidate[];

const CANDIDATE = v.strictObject({
  backbone: v.picklist(BACKBONE_NAMES, `one of ${BACKBONE_NAMES.join(', ')}`),
  layer: v.optional(v.union([v.string(), v.array(v.string())], 'a layer name or a list of them')),
  inputSize: v.optional(integerSchema()),
  weights: v.optional(v.string()),
  sketchWeights: v.optional(v.string()),
});
const GRID = v.pipe(
  v.array(CANDIDATE, 'a list of { backbone, layer?, inputSize?, weights?, sketchWeights? }'),
  v.minLength(1, 'at least one candidate'),
);

/**
 * Reads a probe grid: a JSON list of {@link ProbeCandidate}s such as
 * `[{ "backbone": "inception-v3", "layer": ["mixed4", "mixed5"], "inputSize": 224 }]`;
 * `sketchWeights` scores a tuned sketch branch against the frozen images.
 * @throws {ExperimentError} naming the file, the entry and the key at fault.
 */
export async function readProbeGrid(file: string): Promise<ProbeCandidate[]> {
  const text = await readFile(file, 'utf8').catch((err: Error) => {
    throw new ExperimentError(`cannot read the probe grid ${file}: ${err.message}`);
  });
  return validateJson(GRID, text, { where: file, noun: 'key', error: ExperimentError });
}
