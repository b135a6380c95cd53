import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { integerSchema, tf, validate } from '@zs-sbir/core';
import { atomicWriteFile } from '@zs-sbir/io';
import * as v from 'valibot';
import type { WadCmsnConfig } from './config.js';
import { CheckpointError } from './errors.js';
import type { FeatureStats } from './input-stats.js';
import { type Branch, createWadCmsn, type WadCmsn, type WadCmsnDims } from './wad-cmsn.js';

/** Where a training run stands, saved with the weights. */
export interface TrainingState {
  /** Epochs completed. */
  epoch: number;
  /** Best validation score so far and the epoch it was reached at (-1: none yet). */
  bestScore: number;
  bestEpoch: number;
  /** Anything else the caller wants back (history, class names). */
  extra?: Record<string, unknown>;
}

interface TensorEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

/** The JSON half of a checkpoint (`checkpoint.json`); the numbers are in `tensors-<hash>.bin`. */
export interface CheckpointManifest {
  schema: 'zs-sbir/wad-cmsn-checkpoint';
  version: 1;
  config: WadCmsnConfig;
  dims: WadCmsnDims;
  seenClasses: number;
  state: TrainingState;
  tensors: TensorEntry[];
  /** File holding every tensor as little-endian float32, and its SHA-256. */
  file: string;
  sha256: string;
  savedAt: string;
}

const MANIFEST = 'checkpoint.json';

const count = () => integerSchema({ min: 0 });

/**
 * The schema (valibot) of a {@link CheckpointManifest} as read back; `config` is checked by
 * `resolveConfig` when the model is rebuilt.
 */
const MANIFEST_SCHEMA = v.looseObject({
  schema: v.literal('zs-sbir/wad-cmsn-checkpoint'),
  version: v.literal(1),
  config: v.looseObject({}),
  dims: v.looseObject({ visualDim: integerSchema(), sideInfoDim: integerSchema() }),
  seenClasses: count(),
  state: v.looseObject({
    epoch: count(),
    bestScore: v.nullable(v.number()),
    bestEpoch: integerSchema({ min: -1 }),
    extra: v.optional(v.record(v.string(), v.unknown())),
  }),
  tensors: v.array(
    v.strictObject({
      name: v.string(),
      shape: v.array(count()),
      offset: count(),
      length: count(),
    }),
  ),
  file: v.string(),
  sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'a SHA-256 in hex')),
  savedAt: v.string(),
});

/** Every trainable variable of the model (networks, critics, loss-owned parameters) by checkpoint prefix. */
function namedVariables(model: WadCmsn): Record<string, tf.Variable[]> {
  const { projectors, decoders, sideInfo, critics } = model.networks;
  return {
    'projector/sketch': projectors.sketch.trainableVariables,
    'projector/image': projectors.image.trainableVariables,
    'decoder/sketch': decoders.sketch.trainableVariables,
    'decoder/image': decoders.image.trainableVariables,
    'side-info': sideInfo.trainableVariables,
    loss: model.loss.trainableVariables,
    ...Object.fromEntries(
      Object.entries(critics).map(([k, c]) => [`critic/${k}`, c!.critic.trainableVariables]),
    ),
  };
}

/** Every array a checkpoint holds, by name, with its shape. */
async function collect(model: WadCmsn, sideInfo: Float32Array) {
  const out: { name: string; shape: number[]; data: Float32Array }[] = [];
  for (const [prefix, variables] of Object.entries(namedVariables(model))) {
    variables.forEach((v, i) => {
      out.push({ name: `${prefix}/${i}`, shape: v.shape, data: v.dataSync() as Float32Array });
    });
  }
  const optimisers = { main: model.optimisers.main, ...model.optimisers.critics };
  for (const [key, opt] of Object.entries(optimisers)) {
    const weights = await opt!.getWeights();
    weights.forEach((w, i) => {
      out.push({
        name: `optimiser/${key}/${i}`,
        shape: w.tensor.shape,
        data: Float32Array.from(w.tensor.dataSync()),
      });
    });
    // The first entry is a scalar getWeights() makes for the iteration count; the rest are the
    // optimiser's own variables.
    weights[0]?.tensor.dispose();
  }
  for (const branch of ['sketch', 'image'] as const) {
    const s = model.stats[branch];
    out.push({ name: `stats/${branch}/mean`, shape: [s.mean.length], data: s.mean });
    out.push({ name: `stats/${branch}/std`, shape: [s.std.length], data: s.std });
  }
  out.push({
    name: 'side-info-input',
    shape: [sideInfo.length / model.dims.sideInfoDim, model.dims.sideInfoDim],
    data: sideInfo,
  });
  return out;
}

/**
 * Saves the model, its optimisers' state, its input statistics, the seen classes' side
 * information and the training state into `dir`, atomically: the tensors go to a new
 * content-addressed file, then `checkpoint.json` is replaced in one rename, then older tensor
 * files are removed. A crash at any point leaves the previous checkpoint readable.
 */
export async function saveCheckpoint(
  dir: string,
  model: WadCmsn,
  sideInfo: Float32Array,
  state: TrainingState,
): Promise<CheckpointManifest> {
  await mkdir(dir, { recursive: true });
  const arrays = await collect(model, sideInfo);
  const total = arrays.reduce((s, a) => s + a.data.length, 0);
  const buffer = new Float32Array(total);
  const tensors: TensorEntry[] = [];
  let offset = 0;
  for (const a of arrays) {
    buffer.set(a.data, offset);
    tensors.push({ name: a.name, shape: a.shape, offset, length: a.data.length });
    offset += a.data.length;
  }
  const bytes = new Uint8Array(buffer.buffer);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const file = `tensors-${sha256.slice(0, 16)}-${randomBytes(3).toString('hex')}.bin`;
  await atomicWriteFile(join(dir, file), bytes);
  const manifest: CheckpointManifest = {
    schema: 'zs-sbir/wad-cmsn-checkpoint',
    version: 1,
    config: model.config,
    dims: model.dims,
    seenClasses: sideInfo.length / model.dims.sideInfoDim,
    state,
    tensors,
    file,
    sha256,
    savedAt: new Date().toISOString(),
  };
  await atomicWriteFile(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const name of await readdir(dir)) {
    if (name.startsWith('tensors-') && name.endsWith('.bin') && name !== file) {
      await rm(join(dir, name), { force: true });
    }
  }
  return manifest;
}

/** A loaded checkpoint: the rebuilt model, its side information and training state. */
export interface LoadedCheckpoint {
  model: WadCmsn;
  sideInfo: Float32Array;
  state: TrainingState;
  manifest: CheckpointManifest;
}

/** Whether `dir` holds a checkpoint manifest. */
export async function hasCheckpoint(dir: string): Promise<boolean> {
  try {
    await readFile(join(dir, MANIFEST));
    return true;
  } catch {
    return false;
  }
}

/** A checkpoint's manifest and tensor bytes, checked against its schema and SHA-256. */
async function readVerified(dir: string): Promise<{ manifest: CheckpointManifest; raw: Buffer }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8'));
  } catch (err) {
    throw new CheckpointError(
      `${join(dir, MANIFEST)}: no readable checkpoint (${(err as Error).message})`,
    );
  }
  const { schema, version } = (json ?? {}) as { schema?: unknown; version?: unknown };
  if (schema !== 'zs-sbir/wad-cmsn-checkpoint' || version !== 1) {
    throw new CheckpointError(
      `${join(dir, MANIFEST)}: not a zs-sbir WAD-CMSN checkpoint of version 1`,
    );
  }
  const manifest = validate(MANIFEST_SCHEMA, json, {
    where: join(dir, MANIFEST),
    noun: 'key',
    error: CheckpointError,
  }) as unknown as CheckpointManifest;
  const path = join(dir, manifest.file);
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch {
    throw new CheckpointError(`${path}: the checkpoint's tensor file is missing`);
  }
  if (createHash('sha256').update(raw).digest('hex') !== manifest.sha256) {
    throw new CheckpointError(`${path}: content does not match the checkpoint's SHA-256`);
  }
  return { manifest, raw };
}

/** The training state as saved; JSON has no -Infinity, so a run without a best score saved null. */
function savedState(manifest: CheckpointManifest): TrainingState {
  return {
    ...manifest.state,
    bestScore: manifest.state.bestScore ?? Number.NEGATIVE_INFINITY,
  };
}

/**
 * Checks that `dir` holds a complete, intact checkpoint (manifest of the right schema, tensor file
 * present with the SHA-256 the manifest records) without building a model, and returns its
 * manifest and training state: what a caller needs to decide whether and how to resume.
 *
 * @throws CheckpointError saying what is missing or damaged.
 */
export async function verifyCheckpoint(
  dir: string,
): Promise<{ manifest: CheckpointManifest; state: TrainingState }> {
  const { manifest } = await readVerified(dir);
  return { manifest, state: savedState(manifest) };
}

/**
 * Loads a checkpoint written by {@link saveCheckpoint} and rebuilds the model with its weights,
 * optimiser state and statistics.
 *
 * @throws CheckpointError when the folder has no checkpoint, the tensor file is missing or its
 *   hash does not match, or an array does not fit the rebuilt model.
 */
export async function loadCheckpoint(dir: string): Promise<LoadedCheckpoint> {
  const { manifest, raw } = await readVerified(dir);
  const path = join(dir, manifest.file);
  const all = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const byName = new Map(
    manifest.tensors.map((t) => [t.name, all.subarray(t.offset, t.offset + t.length)]),
  );
  const get = (name: string) => {
    const v = byName.get(name);
    if (!v) throw new CheckpointError(`${path}: the checkpoint has no array '${name}'`);
    return v;
  };
  const stat = (branch: Branch): FeatureStats => ({
    mean: get(`stats/${branch}/mean`).slice(),
    std: get(`stats/${branch}/std`).slice(),
  });
  const sideInfo = get('side-info-input').slice();
  const model = createWadCmsn(manifest.config, {
    ...manifest.dims,
    sideInfo,
    stats: { sketch: stat('sketch'), image: stat('image') },
  });
  try {
    tf.tidy(() => {
      for (const [prefix, variables] of Object.entries(namedVariables(model))) {
        variables.forEach((v, i) => {
          const data = get(`${prefix}/${i}`);
          if (data.length !== v.size) {
            throw new CheckpointError(
              `${path}: array '${prefix}/${i}' holds ${data.length} values, the model's variable needs ${v.size}`,
            );
          }
          v.assign(tf.tensor(data, v.shape));
        });
      }
    });
    const optimisers = { main: model.optimisers.main, ...model.optimisers.critics };
    for (const [key, opt] of Object.entries(optimisers)) {
      const entries = manifest.tensors.filter((t) => t.name.startsWith(`optimiser/${key}/`));
      if (entries.length === 0) continue;
      const named = entries.map((t) => ({ name: t.name, tensor: tf.tensor(get(t.name), t.shape) }));
      await opt!.setWeights(named);
      tf.dispose(named.map((n) => n.tensor));
    }
  } catch (err) {
    model.dispose();
    throw err instanceof CheckpointError
      ? err
      : new CheckpointError(`${path}: ${(err as Error).message}`);
  }
  return { model, sideInfo, state: savedState(manifest), manifest };
}
