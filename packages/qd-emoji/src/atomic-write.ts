import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { atomicWriteFile } from '@zs-sbir/io';

/**
 * Writes `data` to `path` so readers see either no file or the whole file (`atomicWriteFile` from
 * `@zs-sbir/io`), creating missing folders first.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await atomicWriteFile(path, data);
}
