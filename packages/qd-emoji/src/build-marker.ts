import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { integerSchema, type SkippedFile, validateJson } from '@zs-sbir/core';
import * as v from 'valibot';
import { writeFileAtomic } from './atomic-write.js';
import { QdEmojiError } from './errors.js';

/** The complete-marker of a build, written last: its presence means every file was rendered. */
export interface BuildMarker {
  /** Files the build covers. */
  files: number;
  /** Files that could not be rendered (they stay skipped until the cache is cleared). */
  skipped: SkippedFile[];
  /** ISO time the build finished. */
  finishedAt: string;
}

const MARKER_SCHEMA = v.object({
  files: integerSchema({ min: 0 }),
  skipped: v.array(v.object({ path: v.string(), reason: v.string() })),
  finishedAt: v.string(),
});

/** `<dir>/complete/<hash of the file list>.json`: one marker per distinct set of files. */
export function markerPath(dir: string, files: readonly string[]): string {
  const hash = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
  return join(dir, 'complete', `${hash}.json`);
}

/**
 * The marker at `path`, or undefined when there is none or it is damaged (not JSON, or a key of
 * the wrong type): the build then checks its files again.
 */
export async function readMarker(path: string): Promise<BuildMarker | undefined> {
  try {
    const text = await readFile(path, 'utf8');
    return validateJson(MARKER_SCHEMA, text, { where: path, noun: 'key', error: QdEmojiError });
  } catch {
    return undefined;
  }
}

/** Writes the marker atomically. */
export function writeMarker(path: string, marker: BuildMarker): Promise<void> {
  return writeFileAtomic(path, `${JSON.stringify(marker, null, 1)}\n`);
}
