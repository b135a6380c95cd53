import { createRng, initBackend } from '@zs-sbir/core';
import { DISCRIMINATOR_KINDS } from '@zs-sbir/critic';
import { lossNames, makeLoss, registerLoss } from '@zs-sbir/losses';
import { beforeAll, describe, expect, it } from 'vitest';
import { INPUT_NORMALISATIONS } from './config.js';
import { enginePairSetup } from './engine-pair.testkit.js';
import { createOnnxTrainer } from './onnx/onnx-trainer.js';
import type { WadCmsn } from './wad-cmsn.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

// A loss of the user's, registered once: the loop below trains it on both engines like the
// built-ins. L = mean over rows of |z_sketch - z_image| (paired rows), one definition.
registerLoss('test-paired-l1', (options) =>
  makeLoss('test-paired-l1', options, (ops, ctx) => ({
    loss: ops.mean(ops.abs(ops.sub(ctx.embeddings!.sketch!, ctx.embeddings!.image!))),
    parts: {},
  })),
);

const { batches, build, variables } = enginePairSetup({
  seed: 'parity-data',
  dim: 10,
  sideDim: 6,
  classes: 4,
  rows: 9,
  batches: 2,
  base: { embeddingDim: 5, optimiser: { learningRate: 1e-2 } },
});
const weights = (model: WadCmsn) => variables(model).flatMap((v) => Array.from(v.dataSync()));

/** Equal to float32 rounding: 1e-5 relative (absolute below 1). */
const close = (got: number | undefined, expected: number) =>
  Math.abs(got! - expected) <= 1e-5 * Math.max(1, Math.abs(expected));

const placements = ['semantic', 'cross-modal'] as const;
// Every registered loss (built-in or registered above) with every critic kind and placement:
// nothing is left out by a list kept by hand.
const cases = lossNames().flatMap((loss) =>
  DISCRIMINATOR_KINDS.flatMap((kind) =>
    placements.map((placement) => ({ loss, kind, placement, inputNormalisation: 'zscore' })),
  ),
);

describe('both engines train the same model', () => {
  it('covers every registered loss, the custom one included', () => {
    expect(lossNames()).toEqual(
      expect.arrayContaining(['triplet', 'classification', 'test-paired-l1']),
    );
    expect(cases).toHaveLength(lossNames().length * 10);
  });

  // Every other input normalisation once (the standardisation is in both engines' graphs).
  const others = INPUT_NORMALISATIONS.filter((n) => n !== 'zscore');
  const normalisations = others.map((inputNormalisation) => ({
    loss: 'identity',
    kind: 'wgan-gp' as const,
    placement: 'semantic' as const,
    inputNormalisation,
  }));

  it.each([...cases, ...normalisations])(
    '$loss with a $kind critic, $placement, $inputNormalisation',
    async ({ loss, kind, placement, ...input }) => {
      const config = {
        critic: { steps: 1, kind, placement },
        losses: { [loss]: { weight: 0.5 } },
        ...input,
      };
      const reference = build(config);
      const fast = build(config);
      const trainer = await createOnnxTrainer(fast, { threads: 1 });
      try {
        const [r1, r2] = [createRng('parity'), createRng('parity')];
        for (const batch of batches) {
          const expected = reference.trainStep(batch, r1);
          const got = await trainer.step(batch, r2);
          expect(Object.keys(got.parts)).toEqual(Object.keys(expected.parts));
          const wrong = Object.entries({ loss: expected.loss, ...expected.parts }).filter(
            ([k, v]) => !close(k === 'loss' ? got.loss : got.parts[k], v),
          );
          expect(wrong).toEqual([]);
          for (const [k, c] of Object.entries(expected.critics)) {
            expect(close(got.critics[k]!.loss, c.loss)).toBe(true);
            expect(close(got.critics[k]!.wasserstein, c.wasserstein)).toBe(true);
          }
        }
        await trainer.sync();
        const [a, b] = [weights(fast), weights(reference)];
        const scale = Math.max(...b.map(Math.abs));
        expect(Math.max(...a.map((x, i) => Math.abs(x - b[i]!))) / scale).toBeLessThan(1e-5);
      } finally {
        await trainer.dispose();
        reference.dispose();
        fast.dispose();
      }
    },
  );
});
