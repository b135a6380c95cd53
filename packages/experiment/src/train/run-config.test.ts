import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeConfig, runConfig } from './run-config.js';
import { trainOptions } from './train-options.testkit.js';

describe('runConfig', () => {
  it('layers defaults, the dataset preset, the config file, the overrides and the ablation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zs-sbir-config-'));
    const file = join(dir, 'c.json');
    await writeFile(
      file,
      JSON.stringify({
        critic: { placement: 'cross-modal' },
        training: { epochs: 5, patience: 2 },
      }),
    );
    const options = trainOptions({ config: file, overrides: { epochs: 3 } });
    const c = await runConfig(options, { losses: { identity: null } });
    expect(c.critic.placement).toBe('cross-modal');
    expect(c.training).toMatchObject({ epochs: 3, patience: 2, stepsPerEpoch: 100 });
    expect(c.losses.identity!.weight).toBe(0);
    // From the qd-emoji preset, which the file did not override.
    expect(c.critic.steps).toBe(2);
    expect(c.optimiser.learningRate).toBe(3e-4);
    // From the recipe's defaults, which nothing overrode.
    expect(c.critic.gradientPenalty).toBe(10);
  });

  it('names a config file that is missing, not JSON, or has a wrong key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zs-sbir-config-'));
    await writeFile(join(dir, 'bad.json'), '{ critic: ');
    await writeFile(join(dir, 'typo.json'), JSON.stringify({ critic: { placment: 'none' } }));
    await expect(runConfig(trainOptions({ config: join(dir, 'none.json') }))).rejects.toThrow(
      /none.json: cannot read it/,
    );
    await expect(runConfig(trainOptions({ config: join(dir, 'bad.json') }))).rejects.toThrow(
      /bad.json: not valid JSON/,
    );
    await expect(runConfig(trainOptions({ config: join(dir, 'typo.json') }))).rejects.toThrow(
      "config.critic: unknown key 'placment'",
    );
  });

  it('merges nested objects and keeps nulls', () => {
    expect(mergeConfig({ a: { b: 1, c: 2 }, d: 1 }, { a: { c: 3 }, e: null })).toEqual({
      a: { b: 1, c: 3 },
      d: 1,
      e: null,
    });
  });
});
