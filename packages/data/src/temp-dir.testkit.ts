import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A fresh temporary folder for one test file, removed after its tests. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `zs-sbir-data-${prefix}-`));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
