import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOptionPaths } from './check-option-paths.js';
import { trainOptions } from './train-options.testkit.js';

describe('checkOptionPaths', () => {
  it('names a missing --root, --word-vectors or --weights, and a file given as --root', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zs-sbir-paths-'));
    const file = join(dir, 'vectors.txt');
    await writeFile(file, 'cat 0.1 0.2\n');
    const check = (paths: { root: string; wordVectors?: string; weights?: string }) =>
      checkOptionPaths(trainOptions({ dataset: 'folder', ...paths }));
    await expect(check({ root: join(dir, 'nope') })).rejects.toThrow(
      `--root ${join(dir, 'nope')}: no such folder`,
    );
    await expect(check({ root: file })).rejects.toThrow(`--root ${file}: expected a folder`);
    await expect(check({ root: dir, wordVectors: join(dir, 'glove.txt') })).rejects.toThrow(
      `--word-vectors ${join(dir, 'glove.txt')}: no such file`,
    );
    await expect(check({ root: dir, weights: join(dir, 'w.safetensors') })).rejects.toThrow(
      `--weights ${join(dir, 'w.safetensors')}: no such file`,
    );
    await expect(check({ root: dir, wordVectors: file, weights: dir })).resolves.toBeUndefined();
  });
});
