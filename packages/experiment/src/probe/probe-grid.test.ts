import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProbeGrid } from './probe-grid.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zs-probe-grid-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readProbeGrid', () => {
  it('reads candidates, a fine-tuned sketch branch among them', async () => {
    const file = join(dir, 'grid.json');
    const grid = [
      { backbone: 'mobilenet-v2', layer: 'block_13_expand_relu', inputSize: 112 },
      {
        backbone: 'mobilenet-v2',
        layer: 'block_13_expand_relu',
        inputSize: 112,
        sketchWeights: 'runs/tuned',
      },
    ];
    await writeFile(file, JSON.stringify(grid));
    expect(await readProbeGrid(file)).toEqual(grid);
  });

  it('names the entry and key at fault', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify([{ backbone: 'mobilenet-v2', sketchWeight: 'x' }]));
    await expect(readProbeGrid(file)).rejects.toThrow(/bad\.json.*sketchWeight/s);
  });
});
