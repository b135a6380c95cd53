import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { SkippedFile } from '@zs-sbir/core';
import pLimit from 'p-limit';
import { DatasetError } from '../errors.js';
import { type DatasetRoot, outsideRootReason } from './inside-root.js';
import type { Listing, RawItem } from './raw-item.js';

/** One line of a SAKE-style file list: a path relative to the dataset root, and a class id. */
export interface FileListEntry {
  path: string;
  label: number;
  /** 1-based line number in the list. */
  line: number;
}

/**
 * Parses a SAKE file list (`relative/path label` a line; paths may hold spaces, the label is the
 * last field), as SAKE's own loaders read it.
 *
 * @throws {DatasetError} naming the file and line of a malformed entry.
 */
export function parseFileList(text: string, source: string): FileListEntry[] {
  const out: FileListEntry[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed.length === 0) return;
    const cut = trimmed.lastIndexOf(' ');
    const label = Number(trimmed.slice(cut + 1));
    if (cut < 1 || !Number.isInteger(label)) {
      throw new DatasetError(
        `${source}:${i + 1}: expected 'relative/path label', got '${trimmed}'`,
      );
    }
    out.push({ path: trimmed.slice(0, cut).trim(), label, line: i + 1 });
  });
  return out;
}

/**
 * Reads file lists and returns their items, the class taken from each file's parent folder;
 * a path listed twice (train and test lists overlap in some releases) is kept once. A listed path
 * that lies outside `root` (`../`, an absolute path elsewhere, a symbolic link out of it) is
 * never opened: it goes to `skipped` with the reason, the list and the line.
 *
 * @param root - folder the listed paths are relative to, and may not leave.
 * @param concurrency - paths resolved at once; default 16.
 */
export async function readFileLists(
  root: DatasetRoot,
  lists: readonly string[],
  concurrency = 16,
): Promise<{ items: RawItem[]; skipped: SkippedFile[] }> {
  const seen = new Set<string>();
  const listed: { path: string; from: string }[] = [];
  for (const list of lists) {
    let text: string;
    try {
      text = await readFile(list, 'utf8');
    } catch (err) {
      throw new DatasetError(`cannot read file list ${list}: ${(err as Error).message}`);
    }
    for (const entry of parseFileList(text, list)) {
      const path = resolve(root.path, entry.path);
      if (seen.has(path)) continue;
      seen.add(path);
      listed.push({ path, from: `from file list ${list} line ${entry.line}` });
    }
  }
  const refused = await pLimit(concurrency).map(listed, (l) => outsideRootReason(root, l.path));
  const items: RawItem[] = [];
  const skipped: SkippedFile[] = [];
  listed.forEach(({ path, from }, i) => {
    const reason = refused[i];
    if (reason) skipped.push({ path, reason: `${reason} (${from})` });
    else items.push({ path, className: basename(dirname(path)) });
  });
  return { items, skipped };
}

/** Sketches and images read from their file lists (see {@link readFileLists}). */
export async function fileListing(
  root: DatasetRoot,
  sketchLists: readonly string[],
  imageLists: readonly string[],
): Promise<Listing> {
  const sketches = await readFileLists(root, sketchLists);
  const images = await readFileLists(root, imageLists);
  return {
    sketches: sketches.items,
    images: images.items,
    skipped: [...sketches.skipped, ...images.skipped],
  };
}
