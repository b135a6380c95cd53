import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tf, validateJson } from '@zs-sbir/core';
import { atomicWriteFile } from '@zs-sbir/io';
import * as v from 'valibot';
import { BackboneError } from './backbone-error.js';

/** `model.json` itself, or the folder that holds it. */
async function modelJsonPath(path: string): Promise<string> {
  const info = await stat(path).catch(() => null);
  return info?.isDirectory() ? join(path, 'model.json') : path;
}

// The keys of a TensorFlow.js `model.json` this reader uses; the others (format, signature,
// trainingConfig, ...) pass through to TensorFlow.js as they are.
const MODEL_JSON = v.looseObject({
  modelTopology: v.record(v.string(), v.unknown()),
  weightsManifest: v.array(
    v.object({
      paths: v.array(v.string()),
      weights: v.array(
        v.looseObject({ name: v.string(), shape: v.array(v.number()), dtype: v.string() }),
      ),
    }),
  ),
});
const EXPECTED = '(expected a model.json written by tensorflowjs_converter or model.save)';

/** Reads a TensorFlow.js `model.json` and its weight shards from disk. */
async function load(path: string): Promise<tf.io.ModelArtifacts> {
  const jsonPath = await modelJsonPath(path);
  let text: string;
  try {
    text = await readFile(jsonPath, 'utf8');
  } catch (err) {
    throw new BackboneError(
      `cannot read TensorFlow.js model ${jsonPath}: ${(err as Error).message} ${EXPECTED}`,
    );
  }
  let json: tf.io.ModelJSON;
  try {
    json = validateJson(MODEL_JSON, text, {
      where: jsonPath,
      noun: 'key',
      error: BackboneError,
    }) as tf.io.ModelJSON;
  } catch (err) {
    throw new BackboneError(`${(err as Error).message} ${EXPECTED}`);
  }
  const folder = dirname(jsonPath);
  return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const specs: tf.io.WeightsManifestEntry[] = [];
    const buffers: ArrayBuffer[] = [];
    for (const group of manifest) {
      specs.push(...group.weights);
      for (const shard of group.paths) {
        const file = join(folder, shard);
        const bytes = await readFile(file).catch((err: Error) => {
          throw new BackboneError(
            `weight shard ${file} listed in ${jsonPath} cannot be read: ${err.message}`,
          );
        });
        buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      }
    }
    return [specs, buffers];
  });
}

/**
 * Writes `model.json` and a content-named `weights-<sha256 prefix>.bin` into a folder, each
 * atomically, the JSON last, then removes weight files the JSON no longer names: a crash while
 * overwriting a saved model leaves the old `model.json` with its own weights.
 */
async function save(path: string, artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
  const jsonPath = await modelJsonPath(path);
  const folder = dirname(jsonPath);
  const weights = artifacts.weightData
    ? new Uint8Array(new tf.io.CompositeArrayBuffer(artifacts.weightData).slice())
    : new Uint8Array(0);
  const weightsFile = `weights-${createHash('sha256').update(weights).digest('hex').slice(0, 16)}.bin`;
  await atomicWriteFile(join(folder, weightsFile), weights);
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology ?? {},
    weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }],
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: artifacts.convertedBy ?? null,
  };
  if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata) json.userDefinedMetadata = artifacts.userDefinedMetadata;
  await atomicWriteFile(jsonPath, JSON.stringify(json));
  for (const name of await readdir(folder)) {
    if (/^weights(-[0-9a-f]{16})?\.bin$/.test(name) && name !== weightsFile) {
      await rm(join(folder, name), { force: true });
    }
  }
  return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
}

/** A TensorFlow.js IO handler that always has both `load` and `save`. */
export interface FileIOHandler extends tf.io.IOHandler {
  load(): Promise<tf.io.ModelArtifacts>;
  save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult>;
}

/**
 * A TensorFlow.js IO handler for the local file system, which pure TensorFlow.js lacks in Node:
 * `tf.loadLayersModel(fileIOHandler('weights/model.json'))`, `tf.loadGraphModel(...)`, or
 * `model.save(fileIOHandler('out/'))`.
 *
 * @param path - a `model.json` file, or a folder holding one. Loading reads every shard listed in
 * the weights manifest, relative to the JSON; saving writes `model.json` and one content-named `weights-<hash>.bin`
 * (into an existing folder), each through a temporary file and a rename.
 */
export function fileIOHandler(path: string): FileIOHandler {
  return { load: () => load(path), save: (artifacts) => save(path, artifacts) };
}

const FILE_SCHEME = 'file://';

// TensorFlow.js's routers return null for URLs they do not handle, though IORouter's type says
// IOHandler.
const route = ((url: string | string[]) =>
  typeof url === 'string' && url.startsWith(FILE_SCHEME)
    ? fileIOHandler(url.slice(FILE_SCHEME.length))
    : null) as unknown as Parameters<typeof tf.io.registerLoadRouter>[0];

let registered = false;

/**
 * Lets `tf.loadLayersModel('file:///abs/model.json')`, `tf.loadGraphModel(...)` and
 * `model.save('file:///abs/folder')` use {@link fileIOHandler}. Registers once per process; later
 * calls do nothing.
 */
export function registerFileRouter(): void {
  if (registered) return;
  tf.io.registerLoadRouter(route);
  tf.io.registerSaveRouter(route);
  registered = true;
}
