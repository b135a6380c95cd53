import { readFile } from 'node:fs/promises';
import { atomicWriteFile } from '@zs-sbir/io';
import pLimit from 'p-limit';
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

async function loadCacheFile(path: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return;
  }
  try {
    const entries = JSON.parse(text) as Record<string, CachedCheck>;
    for (const [p, c] of Object.entries(entries)) if (!memory.has(p)) memory.set(p, c);
  } catch {
    // A damaged cache is only a slower start: every file is checked again.
  }
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
  const concurrency = options.concurrency ?? 16;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new DatasetError(
      `option 'concurrency' (image headers checked at once) must be a positive integer, got ${concurrency}`,
    );
  }
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
