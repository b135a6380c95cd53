import { readFile } from 'node:fs/promises';
import { atomicWriteFile } from './atomic-write-file.js';
import type { NpyArray, NpyInput } from './npy-array.js';
import { NpyError } from './npy-error.js';
import { parseNpy } from './npy-read.js';
import { encodeNpy } from './npy-write.js';

/**
 * Reads a `.npy` file into a C-order array (see {@link parseNpy}).
 * @throws {NpyError} naming the file when it cannot be read or is not a supported array.
 */
export async function readNpy(path: string): Promise<NpyArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new NpyError(path, `cannot read: ${(err as Error).message}`);
  }
  return parseNpy(bytes, path);
}

/**
 * Writes an array as a `.npy` file (see {@link encodeNpy}) atomically: a temporary file in the
 * same folder, then a rename.
 */
export async function writeNpy(path: string, array: NpyArray | NpyInput): Promise<void> {
  await atomicWriteFile(path, encodeNpy(array, path));
}
