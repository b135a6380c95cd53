import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { criticNames, criticPairs } from './placement.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('criticPairs', () => {
  const sketch = tf.zeros([3, 4]) as tf.Tensor2D;
  const image = tf.ones([3, 4]) as tf.Tensor2D;
  const prototypes = tf.fill([3, 4], 2) as tf.Tensor2D;

  it('semantic: a critic per branch, prototypes real and projections fake', () => {
    expect(criticNames('semantic')).toEqual(['sketch', 'image']);
    expect(criticPairs('semantic', { sketch, image, prototypes })).toEqual([
      { critic: 'sketch', real: prototypes, fake: sketch, realIsProjected: false },
      { critic: 'image', real: prototypes, fake: image, realIsProjected: false },
    ]);
    const perModality = criticPairs('semantic', {
      sketch,
      image,
      prototypes: { sketch: prototypes, image: sketch },
    });
    expect(perModality[1]!.real).toBe(sketch);
  });

  it('cross-modal: one critic between sketch (real) and image (fake) projections', () => {
    expect(criticNames('cross-modal')).toEqual(['cross-modal']);
    expect(criticPairs('cross-modal', { sketch, image })).toEqual([
      { critic: 'cross-modal', real: sketch, fake: image, realIsProjected: true },
    ]);
  });

  it('says what is missing or unknown', () => {
    expect(() => criticPairs('semantic', { sketch, image })).toThrow(/needs 'prototypes'/);
    expect(() => criticNames('both' as never)).toThrow(
      `criticNames: option 'placement' must be one of semantic, cross-modal, got "both"`,
    );
  });
});
