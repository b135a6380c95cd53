import type { Connection, Table } from '@lancedb/lancedb';
import { Field, FixedSizeList, Float32, Float64, Schema, Utf8 } from 'apache-arrow';
import type { GalleryFile } from './gallery-files.js';
import { lanceDb } from './lance.js';

/** The LanceDB table of an index folder (`<dir>/gallery.lance`). */
export const GALLERY_TABLE = 'gallery';

/** One row of the gallery table: a photo and its embedding. */
export interface GalleryRow extends GalleryFile {
  /** L2-normalised embedding, the run's `embeddingDim` long. */
  vector: Float32Array;
  /** Parent folder name; `null` for a photo at the top of the indexed folder. */
  label: string | null;
}

/** The table's arrow schema: path, vector (float32 x dim), label?, size, mtime. */
export function gallerySchema(dim: number): Schema {
  return new Schema([
    new Field('path', new Utf8(), false),
    new Field('vector', new FixedSizeList(dim, new Field('item', new Float32(), true)), false),
    new Field('label', new Utf8(), true),
    new Field('size', new Float64(), false),
    new Field('mtime', new Float64(), false),
  ]);
}

/** Opens (or creates, empty) the gallery table of an index folder. */
export async function openGalleryTable(
  dir: string,
  dim: number,
): Promise<{ db: Connection; table: Table }> {
  const lancedb = await lanceDb();
  const db = await lancedb.connect(dir);
  const table = (await db.tableNames()).includes(GALLERY_TABLE)
    ? await db.openTable(GALLERY_TABLE)
    : await db.createEmptyTable(GALLERY_TABLE, gallerySchema(dim));
  return { db, table };
}

/** Path, size and mtime of every row (what a rebuild compares with the files on disk). */
export async function indexedFiles(table: Table): Promise<GalleryFile[]> {
  const rows = await table.query().select(['path', 'size', 'mtime']).toArray();
  return rows.map((r) => ({ path: r.path, size: Number(r.size), mtime: Number(r.mtime) }));
}

/** Every row with its vector, sorted by path. */
export async function galleryRows(table: Table): Promise<GalleryRow[]> {
  const rows = await table.query().toArray();
  return rows
    .map((r) => ({
      path: r.path as string,
      vector: Float32Array.from(r.vector.toArray() as Float32Array),
      label: (r.label as string | null) ?? null,
      size: Number(r.size),
      mtime: Number(r.mtime),
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A SQL string literal. */
const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Deletes the rows of `paths` (in chunks, each one committed version). */
export async function deleteRows(table: Table, paths: readonly string[]): Promise<void> {
  for (let i = 0; i < paths.length; i += 256) {
    await table.delete(
      `path IN (${paths
        .slice(i, i + 256)
        .map(quote)
        .join(', ')})`,
    );
  }
}

/** Appends rows (one committed version). */
export async function addRows(table: Table, rows: readonly GalleryRow[]): Promise<void> {
  if (rows.length === 0) return;
  await table.add(
    rows.map((r) => ({
      path: r.path,
      vector: Array.from(r.vector),
      label: r.label,
      size: r.size,
      mtime: r.mtime,
    })),
  );
}
