import { readFile } from 'node:fs/promises';
import { resolveConfig, type WadCmsnConfig } from '@zs-sbir/wad-cmsn';
import { ExperimentError } from '../experiment/experiment-error.js';
import qdEmojiPreset from './presets/qd-emoji.json' with { type: 'json' };
import type { TrainOptions } from './train-options.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge of plain objects: `b`'s keys win, objects merge key by key, `null` is kept (it removes a loss term). */
export function mergeConfig(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b))
    out[k] = isObject(v) && isObject(out[k]) ? mergeConfig(out[k] as Json, v) : v;
  return out;
}

/** Presets applied before the user's config: the built-in benchmark trains shorter (measured). */
const PRESETS: Partial<Record<TrainOptions['dataset'], Json>> = { 'qd-emoji': qdEmojiPreset };

/**
 * The run's config: the recipe's defaults, then the dataset preset, then `--config FILE`, then
 * `--epochs`, `--batch-size`, `--seed`, then `extra` (an ablation's change).
 *
 * @throws ExperimentError when the file cannot be read or parsed; ConfigError for a wrong key.
 */
export async function runConfig(options: TrainOptions, extra: Json = {}): Promise<WadCmsnConfig> {
  let config: Json = PRESETS[options.dataset] ?? {};
  if (options.config) {
    let text: string;
    try {
      text = await readFile(options.config, 'utf8');
    } catch (err) {
      throw new ExperimentError(
        `--config ${options.config}: cannot read it (${(err as Error).message})`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ExperimentError(
        `--config ${options.config}: not valid JSON (${(err as Error).message})`,
      );
    }
    if (!isObject(parsed))
      throw new ExperimentError(`--config ${options.config}: expected a JSON object`);
    config = mergeConfig(config, parsed);
  }
  const { epochs, batchSize, seed } = options.overrides;
  const training: Json = {};
  if (epochs !== undefined) training.epochs = epochs;
  if (batchSize !== undefined) training.batchSize = batchSize;
  config = mergeConfig(config, { training, ...(seed !== undefined ? { seed } : {}) });
  return resolveConfig(mergeConfig(config, extra));
}
