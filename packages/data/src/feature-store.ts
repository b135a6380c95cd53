import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { integerSchema, oneOfSchema, validateJson } from '@zs-sbir/core';
import {
  atomicWriteFile,
  encodeNpy,
  type FeatureSet,
  npyToLabels,
  npyToMatrix,
  parseNpy,
} from '@zs-sbir/io';
import * as v from 'valibot';
import { FeatureStoreError } from './errors.js';

/** The JSON manifest of a feature store (`manifest.json`), written last. */
export interface FeatureManifest {
  schema: 'zs-sbir/feature-store';
  version: 1;
  dataset: string;
  split?: string;
  modality: 'sketch' | 'image';
  /** Backbone name, e.g. `vgg16`, `mobilenet-v2`. */
  backbone: string;
  /** Square input side the backbone saw, in pixels. */
  inputSize: number;
  rows: number;
  cols: number;
  /** Source file (or identifier) of each row. */
  paths: string[];
  /** Class index of each row (into `classes`); also in `labels.npy`. */
  labels: number[];
  classes: string[];
  /** sha256 of `features.npy` then `labels.npy`, hex. */
  contentHash: string;
  /** ISO 8601. */
  createdAt: string;
  extra?: Record<string, unknown>;
}

/** {@link FeatureManifest} as `readFeatureStore` checks it: one path and label per row. */
const MANIFEST_SCHEMA = v.pipe(
  v.object({
    schema: v.literal('zs-sbir/feature-store'),
    version: v.literal(1),
    dataset: v.string(),
    split: v.optional(v.string()),
    modality: oneOfSchema(['sketch', 'image'] as const),
    backbone: v.string(),
    inputSize: integerSchema(),
    rows: integerSchema({ min: 0 }),
    cols: integerSchema({ min: 0 }),
    paths: v.array(v.string()),
    labels: v.array(integerSchema({ min: 0 })),
    classes: v.array(v.string()),
    contentHash: v.string(),
    createdAt: v.string(),
    extra: v.optional(v.record(v.string(), v.unknown())),
  }),
  v.check(
    (m) => m.paths.length === m.rows && m.labels.length === m.rows,
    'one path and one label per row',
  ),
);

/** What a feature store records besides the matrix. */
export interface FeatureStoreMeta {
  dataset: string;
  split?: string;
  modality: 'sketch' | 'image';
  backbone: string;
  inputSize: number;
  classes: string[];
  extra?: Record<string, unknown>;
}

const FEATURES = 'features.npy';
const LABELS = 'labels.npy';
const MANIFEST = 'manifest.json';

function contentHash(features: Uint8Array, labels: Uint8Array): string {
  return createHash('sha256').update(features).update(labels).digest('hex');
}

/**
 * Writes features to `dir` as `features.npy` (float32 `[rows, cols]`), `labels.npy` (int32
 * `[rows]`) and `manifest.json`, each atomically (temporary file, then rename) and the manifest
 * last, after any old manifest is removed: a store is complete exactly when its manifest exists
 * and its hash matches. numpy reads both arrays as they are (`np.load`).
 *
 * @throws {FeatureStoreError} when paths, labels and rows disagree.
 */
export async function writeFeatureStore(
  dir: string,
  features: FeatureSet,
  meta: FeatureStoreMeta,
): Promise<FeatureManifest> {
  const { rows, cols, data, labels } = features;
  const paths = features.paths ?? [];
  if (data.length !== rows * cols) {
    throw new FeatureStoreError(
      `${dir}: data has ${data.length} values, expected rows x cols = ${rows * cols}`,
    );
  }
  if (labels.length !== rows || paths.length !== rows) {
    throw new FeatureStoreError(
      `${dir}: ${rows} rows but ${labels.length} labels and ${paths.length} paths (features.paths is required)`,
    );
  }
  const bad = labels.findIndex((l) => l < 0 || l >= meta.classes.length);
  if (bad >= 0) {
    throw new FeatureStoreError(
      `${dir}: row ${bad} has label ${labels[bad]}, expected 0..${meta.classes.length - 1}`,
    );
  }
  await mkdir(dir, { recursive: true });
  await rm(join(dir, MANIFEST), { force: true });
  const featureBytes = encodeNpy({ data, shape: [rows, cols] });
  const labelBytes = encodeNpy({ data: labels, shape: [rows] });
  await atomicWriteFile(join(dir, FEATURES), featureBytes);
  await atomicWriteFile(join(dir, LABELS), labelBytes);
  const manifest: FeatureManifest = {
    schema: 'zs-sbir/feature-store',
    version: 1,
    dataset: meta.dataset,
    ...(meta.split !== undefined ? { split: meta.split } : {}),
    modality: meta.modality,
    backbone: meta.backbone,
    inputSize: meta.inputSize,
    rows,
    cols,
    paths,
    labels: Array.from(labels),
    classes: meta.classes,
    contentHash: contentHash(featureBytes, labelBytes),
    createdAt: new Date().toISOString(),
    ...(meta.extra ? { extra: meta.extra } : {}),
  };
  await atomicWriteFile(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

async function readIfPresent(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

/**
 * The manifest of the store in `dir`, without reading its arrays: what a store holds (backbone,
 * rows, `extra`) before deciding whether to read it. It does not check the arrays against the
 * manifest's hash; {@link readFeatureStore} does.
 *
 * @returns `null` when there is no manifest, or it is not a valid version-1 manifest.
 */
export async function readFeatureManifest(dir: string): Promise<FeatureManifest | null> {
  const bytes = await readIfPresent(join(dir, MANIFEST));
  return bytes ? parseManifest(bytes, dir) : null;
}

/** The manifest in `bytes` (of the store in `dir`), or `null` when it is not a valid one. */
function parseManifest(bytes: Buffer, dir: string): FeatureManifest | null {
  try {
    return validateJson(MANIFEST_SCHEMA, bytes.toString('utf8'), {
      where: join(dir, MANIFEST),
      noun: 'key',
      error: FeatureStoreError,
    });
  } catch {
    // Not JSON, another schema or version, or a damaged manifest: not a store to read.
    return null;
  }
}

/**
 * Reads a feature store written by {@link writeFeatureStore}.
 *
 * @returns the features and manifest; `null` when the store is absent, half-written, its manifest
 *   is not a valid version-1 manifest (wrong keys or types), or its files do not match the manifest (never read in that state: rebuild it).
 */
export async function readFeatureStore(
  dir: string,
): Promise<{ features: FeatureSet; manifest: FeatureManifest } | null> {
  const [manifestBytes, featureBytes, labelBytes] = await Promise.all(
    [MANIFEST, FEATURES, LABELS].map((f) => readIfPresent(join(dir, f))),
  );
  if (!manifestBytes || !featureBytes || !labelBytes) return null;
  const manifest = parseManifest(manifestBytes, dir);
  if (!manifest) return null;
  if (manifest.contentHash !== contentHash(featureBytes, labelBytes)) return null;
  try {
    const matrix = npyToMatrix(parseNpy(featureBytes, join(dir, FEATURES)), join(dir, FEATURES));
    const labels = npyToLabels(parseNpy(labelBytes, join(dir, LABELS)), join(dir, LABELS));
    if (
      matrix.rows !== manifest.rows ||
      matrix.cols !== manifest.cols ||
      labels.length !== manifest.rows
    ) {
      return null;
    }
    return { features: { ...matrix, labels, paths: manifest.paths }, manifest };
  } catch {
    return null;
  }
}

/** Whether `dir` holds a complete, consistent feature store. */
export async function isFeatureStoreComplete(dir: string): Promise<boolean> {
  return (await readFeatureStore(dir)) !== null;
}
