import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyCheckpoint } from './checkpoint.js';
import { CheckpointError } from './errors.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function manifestDir(manifest: unknown): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wad-cmsn-manifest-'));
  dirs.push(dir);
  await writeFile(join(dir, 'checkpoint.json'), JSON.stringify(manifest));
  return dir;
}

const manifest = {
  schema: 'zs-sbir/wad-cmsn-checkpoint',
  version: 1,
  config: {},
  dims: { visualDim: 8, sideInfoDim: 4 },
  seenClasses: 3,
  state: { epoch: 1, bestScore: null, bestEpoch: -1 },
  tensors: [{ name: 'projector/sketch/0', shape: [8, 4], offset: 0, length: 32 }],
  file: 'tensors-x.bin',
  sha256: '0'.repeat(64),
  savedAt: '2026-01-01T00:00:00.000Z',
};

describe('checkpoint manifest', () => {
  it('names the file and the bad key of a damaged manifest', async () => {
    const bad = { ...manifest, tensors: [{ ...manifest.tensors[0], shape: [8, 'four'] }] };
    const dir = await manifestDir(bad);
    const err = await verifyCheckpoint(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect((err as Error).message).toBe(
      `${join(dir, 'checkpoint.json')}: key 'tensors[0].shape[1]' must be an integer >= 0, got "four"`,
    );
    const noDims = await manifestDir({ ...manifest, dims: { visualDim: 8 } });
    await expect(verifyCheckpoint(noDims)).rejects.toThrow(
      `${join(noDims, 'checkpoint.json')}: key 'dims.sideInfoDim' is required`,
    );
  });

  it('passes a well-formed manifest on to the tensor file check', async () => {
    const dir = await manifestDir(manifest);
    await expect(verifyCheckpoint(dir)).rejects.toThrow(
      `${join(dir, 'tensors-x.bin')}: the checkpoint's tensor file is missing`,
    );
  });
});
