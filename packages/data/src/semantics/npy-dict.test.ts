import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNpy } from '@zs-sbir/io';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClassVectorError } from '../errors.js';
import { tempDir } from '../temp-dir.testkit.js';
import { readNpyDict } from './npy-dict.js';

const semPcyc = fileURLToPath(
  new URL('../__fixtures__/semantics/sem-pcyc-dict.npy', import.meta.url),
);

let dir: string;
beforeAll(async () => {
  dir = await tempDir('npy-dict');
});

describe('readNpyDict', () => {
  it('reads the pickle after a header parsed by @zs-sbir/io', async () => {
    const vectors = await readNpyDict(semPcyc);
    expect(vectors.size).toBeGreaterThan(0);
    for (const v of vectors.values()) expect(v).toBeInstanceOf(Float32Array);
  });

  it('refuses an unknown .npy format version as a ClassVectorError naming the file', async () => {
    const bytes = readFileSync(semPcyc);
    bytes[6] = 4;
    const path = join(dir, 'v4.npy');
    await writeFile(path, bytes);
    await expect(readNpyDict(path)).rejects.toThrow(ClassVectorError);
    await expect(readNpyDict(path)).rejects.toThrow(
      `${path}: unsupported .npy format version 4.0 (expected 1.0, 2.0 or 3.0)`,
    );
  });

  it('refuses a truncated header', async () => {
    const path = join(dir, 'truncated.npy');
    await writeFile(path, readFileSync(semPcyc).subarray(0, 40));
    await expect(readNpyDict(path)).rejects.toThrow(`${path}: truncated .npy header`);
  });

  it('sends a numeric array to readNpy in @zs-sbir/io, naming its dtype', async () => {
    const path = join(dir, 'numeric.npy');
    await writeNpy(path, { data: new Float32Array([1, 2]), shape: [2] });
    await expect(readNpyDict(path)).rejects.toThrow(
      /numeric\.npy: a numeric \.npy array \(dtype <f4\), not a pickled dict .*readNpy from @zs-sbir\/io/,
    );
  });
});
