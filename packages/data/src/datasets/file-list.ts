import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DatasetError } from '../errors.js';
import type { RawItem } from './raw-item.js';

/** One line of a SAKE-style file list: a path relative to the dataset root, and a class id. */
export interface FileListEntry {
  path: string;
  label: number;
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
    out.push({ path: trimmed.slice(0, cut).trim(), label });
  });
  return out;
}

/**
 * Reads file lists and returns their items, the class taken from each file's parent folder;
 * a path listed twice (train and test lists overlap in some releases) is kept once.
 *
 * @param root - folder the listed paths are relative to.
 */
export async function readFileLists(root: string, lists: readonly string[]): Promise<RawItem[]> {
  const seen = new Set<string>();
  const items: RawItem[] = [];
  for (const list of lists) {
    let text: string;
    try {
      text = await readFile(list, 'utf8');
    } catch (err) {
      throw new DatasetError(`cannot read file list ${list}: ${(err as Error).message}`);
    }
    for (const entry of parseFileList(text, list)) {
      const path = join(root, entry.path);
      if (seen.has(path)) continue;
      seen.add(path);
      items.push({ path, className: basename(dirname(path)) });
    }
  }
  return items;
}
