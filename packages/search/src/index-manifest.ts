import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { integerSchema, validateJson } from '@zs-sbir/core';
import { atomicWriteFile } from '@zs-sbir/io';
import * as v from 'valibot';
import type { AnnIndex } from './ann.js';
import type { RunIdentity } from './run-model.js';
import { SearchError } from './search-error.js';

/** The files of an index folder besides the LanceDB table. */
export const INDEX_FILES = {
  /** The finished index: written (atomically) only when a build completes. */
  manifest: 'index.json',
  /** Present while a build runs or after one was interrupted: whose index the folder is. */
  building: 'building.json',
} as const;

/** Whose index a folder holds: the run that embeds and the photo folder. */
export interface IndexOwner {
  run: RunIdentity;
  /** The indexed folder, absolute. */
  images: string;
}

/** `index.json`: a finished index. Readers open the table at `version`, never a newer one. */
export interface IndexManifest extends IndexOwner {
  schema: 'zs-sbir/search-index';
  version: 1;
  /** LanceDB table version holding exactly this build's rows. */
  tableVersion: number;
  /** Photos indexed (rows). */
  count: number;
  /** Length of an embedding. */
  dim: number;
  /** Files found but unreadable, with the decoder's reason; not in the table. */
  skipped: { path: string; reason: string }[];
  /** The ANN index searches use, or null: exact (flat) search. */
  ann: AnnIndex | null;
  /** ISO time the build finished. */
  builtAt: string;
}

const OWNER = {
  run: v.object({
    dir: v.string(),
    backbone: v.looseObject({ name: v.string() }),
    checkpoint: v.string(),
    dim: integerSchema(),
  }),
  images: v.string(),
};

const OWNER_FILE = v.looseObject({ schema: v.literal('zs-sbir/search-build'), ...OWNER });

const MANIFEST = v.looseObject({
  schema: v.literal('zs-sbir/search-index', "'zs-sbir/search-index' (a zs-sbir-search index)"),
  version: v.literal(1, '1 (the index version this package reads)'),
  ...OWNER,
  tableVersion: integerSchema(),
  count: integerSchema({ min: 0 }),
  dim: integerSchema(),
  skipped: v.array(v.object({ path: v.string(), reason: v.string() })),
  ann: v.nullable(
    v.variant('type', [
      v.object({
        type: v.literal('IVF_HNSW_SQ'),
        partitions: integerSchema(),
        m: integerSchema(),
        efConstruction: integerSchema(),
        nprobes: integerSchema(),
        ef: integerSchema(),
        refineFactor: integerSchema(),
      }),
      v.object({
        type: v.literal('IVF_PQ'),
        partitions: integerSchema(),
        subVectors: integerSchema(),
        nprobes: integerSchema(),
        refineFactor: integerSchema(),
      }),
    ]),
  ),
  builtAt: v.string(),
});

const optionError = (option: 'index' | 'out') =>
  class extends SearchError {
    constructor(message: string) {
      super(option, message);
    }
  };

/** Reads `index.json` of `dir`; `null` when there is none. @throws SearchError when damaged. */
export async function readIndexManifest(
  dir: string,
  option: 'index' | 'out' = 'index',
): Promise<IndexManifest | null> {
  const file = join(dir, INDEX_FILES.manifest);
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  return validateJson(MANIFEST, text, {
    where: file,
    noun: 'key',
    error: optionError(option),
  }) as IndexManifest;
}

/** Replaces `index.json` in one rename: readers see the old index or the new one, never half. */
export async function writeIndexManifest(dir: string, manifest: IndexManifest): Promise<void> {
  await atomicWriteFile(join(dir, INDEX_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Reads `building.json` of `dir`; `null` when there is none. */
export async function readBuildOwner(dir: string): Promise<IndexOwner | null> {
  const file = join(dir, INDEX_FILES.building);
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  return validateJson(OWNER_FILE, text, {
    where: file,
    noun: 'key',
    error: optionError('out'),
  }) as IndexOwner;
}

/** Writes `building.json`: the folder is an index of `owner` being built. */
export async function writeBuildOwner(dir: string, owner: IndexOwner): Promise<void> {
  await atomicWriteFile(
    join(dir, INDEX_FILES.building),
    `${JSON.stringify({ schema: 'zs-sbir/search-build', ...owner }, null, 2)}\n`,
  );
}
