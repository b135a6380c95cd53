import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClassVectorError, PickleError } from '../errors.js';
import { tempDir } from '../temp-dir.testkit.js';
import { detectClassVectorFormat, readClassVectors } from './read-class-vectors.js';

// Fixtures and the values numpy read back from them: scripts/make-semantic-fixtures.py.
const fixture = (name: string) =>
  fileURLToPath(new URL(`../__fixtures__/semantics/${name}`, import.meta.url));
const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8')) as Record<
  string,
  Record<string, number[]>
>;

function expectVectors(got: Map<string, Float32Array>, want: Record<string, number[]>): void {
  expect([...got.keys()].sort()).toEqual(Object.keys(want).sort());
  for (const [k, v] of Object.entries(want)) {
    const g = got.get(k)!;
    expect(g.length, k).toBe(v.length);
    for (const [i, x] of v.entries()) expect(g[i]).toBeCloseTo(x, 5);
  }
}

let dir: string;
beforeAll(async () => {
  dir = await tempDir('vectors');
});

describe('readClassVectors', () => {
  it('reads np.save of a dict of float64 vectors (SEM-PCYC / PCMSN files)', async () => {
    expectVectors(
      await readClassVectors(fixture('sem-pcyc-dict.npy')),
      expected['sem-pcyc-dict.npy']!,
    );
  });

  it('reads a protocol-2 pickle of big-endian float32 vectors in a .npy', async () => {
    const got = await readClassVectors(fixture('dict-float32-be-protocol2.npy'));
    expectVectors(got, expected['dict-float32-be-protocol2.npy']!);
  });

  it('reads a plain protocol-5 pickle of a dict', async () => {
    expectVectors(
      await readClassVectors(fixture('dict-protocol5.pkl')),
      expected['dict-protocol5.pkl']!,
    );
  });

  it('reads word2vec binary, keeping only the requested words', async () => {
    const all = await readClassVectors(fixture('word2vec.bin'));
    expectVectors(all, expected['word2vec.bin']!);
    const some = await readClassVectors(fixture('word2vec.bin'), {
      words: ['café', 'car', 'absent'],
    });
    expect([...some.keys()].sort()).toEqual(['café', 'car']);
  });

  it('reads a word2vec binary written here without newlines after vectors', async () => {
    const path = join(dir, 'tiny.w2v');
    const f = new Float32Array([1.5, -2, 0.25, 3, 4, 5]);
    const body = Buffer.concat([
      Buffer.from('2 3\nab '),
      Buffer.from(f.buffer, 0, 12),
      Buffer.from('cd '),
      Buffer.from(f.buffer, 12, 12),
    ]);
    await writeFile(path, body);
    expect(await detectClassVectorFormat(path)).toBe('word2vec-bin');
    const got = await readClassVectors(path);
    expect([...got.get('ab')!]).toEqual([1.5, -2, 0.25]);
    expect([...got.get('cd')!]).toEqual([3, 4, 5]);
    await writeFile(path, body.subarray(0, body.length - 5));
    await expect(readClassVectors(path)).rejects.toThrow(/truncated, 1 of 2/);
  });

  it('reads GloVe text and fastText .vec (header skipped)', async () => {
    expectVectors(await readClassVectors(fixture('glove.txt')), expected['glove.txt']!);
    expectVectors(await readClassVectors(fixture('fasttext.vec')), expected['glove.txt']!);
    const some = await readClassVectors(fixture('glove.txt'), { words: new Set(['clock']) });
    expect([...some.keys()]).toEqual(['clock']);
  });

  it('detects formats from the first bytes when the extension says nothing', async () => {
    const npy = join(dir, 'semantics.data');
    await writeFile(npy, readFileSync(fixture('sem-pcyc-dict.npy')));
    expect(await detectClassVectorFormat(npy)).toBe('npy-dict');
    const txt = join(dir, 'vectors.data');
    await writeFile(txt, readFileSync(fixture('fasttext.vec')));
    expect(await detectClassVectorFormat(txt)).toBe('glove-txt');
  });

  it('refuses pickles that name other Python globals, and unknown formats', async () => {
    const evil = join(dir, 'evil.pkl');
    // protocol 2: GLOBAL os.system, then call it.
    await writeFile(
      evil,
      Buffer.from('\x80\x02cos\nsystem\nq\x00X\x02\x00\x00\x00ls\x85R.', 'latin1'),
    );
    await expect(readClassVectors(evil)).rejects.toThrow(PickleError);
    await expect(readClassVectors(evil)).rejects.toThrow(/os\.system/);
    await expect(
      readClassVectors(fixture('glove.txt'), { format: 'hdf5' as never }),
    ).rejects.toThrow(ClassVectorError);
  });
});
