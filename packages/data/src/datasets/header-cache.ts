import { readFile } from 'node:fs/promises';
import { integerSchema, validate, validateJson } from '@zs-sbir/core';
import { atomicWriteFile } from '@zs-sbir/io';
import pLimit from 'p-limit';
import * as v from 'valibot';
import { DatasetError } from '../errors.js';
import { type CachedCheck, checkImageHeader, fileStamp, type HeaderCheck } from './image-header.js';

const memory = new Map<string, CachedCheck>();

/** Options of {@link checkImageHeaders}. */
export interface CheckHeadersOptions {
  /** Files checked at once, a positive integer; default 16. */
  concurrency?: number;
  /**
   * A JSON file that keeps the checks between processes (written atomically after the run).
   * Within one process checks are always cached in memory.
   */
  cacheFile?: string;
  /** Called as files are checked. */
  onProgress?: (done: number, total: number) => void;
}

/** The cache file: path -> the file's stamp and its check. */
const CACHE_FILE = v.record(
  v.string(),
  v.object({
    size: v.number(),
    mtimeMs: v.number(),
    ok: v.boolean(),
    reason: v.optional(v.string()),
  }),
);

const OPTIONS = v.object({ concurrency: v.optional(integerSchema(), 16) });

async function loadCacheFile(path: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return;
  }
  let entries: Record<string, CachedCheck>;
  try {
    entries = validateJson(CACHE_FILE, text, { where: path, noun: 'key', error: DatasetError });
  } catch {
    // A damaged cache (not JSON, or an entry of the wrong shape) is only a slower start: every
    // file is checked again.
    return;
  }
  for (const [p, c] of Object.entries(entries)) if (!memory.has(p)) memory.set(p, c);
}

/**
 * Checks image headers in parallel, reusing checks cached by path, size and mtime, so a second
 * open of the same tree reads no image.
 *
 * @returns one check per path, in input order.
 * @throws {DatasetError} when `concurrency` is not a positive integer.
 */
export async function checkImageHeaders(
  paths: readonly string[],
  options: CheckHeadersOptions = {},
): Promise<HeaderCheck[]> {
  const { concurrency } = validate(OPTIONS, options, {
    where: 'checkImageHeaders',
    error: DatasetError,
  });
  if (options.cacheFile) await loadCacheFile(options.cacheFile);
  let done = 0;
  let changed = false;
  const results = await pLimit(concurrency).map(paths, async (path) => {
    let check: HeaderCheck;
    try {
      const stamp = await fileStamp(path);
      const cached = memory.get(path);
      if (cached && cached.size === stamp.size && cached.mtimeMs === stamp.mtimeMs) {
        check = cached;
      } else {
        check = await checkImageHeader(path);
        memory.set(path, { ...stamp, ...check });
        changed = true;
      }
    } catch (err) {
      check = { ok: false, reason: `cannot read: ${(err as Error).message}` };
    }
    options.onProgress?.(++done, paths.length);
    return check.ok ? { ok: true } : { ok: false, reason: check.reason ?? 'unreadable' };
  });
  if (options.cacheFile && changed) {
    const wanted = new Set(paths);
    const keep = Object.fromEntries([...memory].filter(([p]) => wanted.has(p)));
    await atomicWriteFile(options.cacheFile, JSON.stringify(keep));
  }
  return results;
}

/** Forgets the in-memory checks (for tests and long-lived processes). */
export function clearHeaderCache(): void {
  memory.clear();
}
