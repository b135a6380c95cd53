import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { criticNames, criticPairs, projectorCriticScores } from './placement.js';

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

describe('projectorCriticScores', () => {
  // Critics as plain functions on arrays: each tags what it scored, so the wiring is visible.
  const critic = (name: string) => (x: string[]) => [`${name}(${x.join()})`];
  const z = { sketch: ['zs'], image: ['zi'] };

  it('semantic: each branch critic scores its own projections as fake', () => {
    expect(projectorCriticScores('semantic', z, critic)).toEqual({
      sketch: { fake: ['sketch(zs)'] },
      image: { fake: ['image(zi)'] },
    });
  });

  it('cross-modal: one critic scores sketches as real and images as fake', () => {
    expect(projectorCriticScores('cross-modal', z, critic)).toEqual({
      'cross-modal': { real: ['cross-modal(zs)'], fake: ['cross-modal(zi)'] },
    });
  });

  it('pairs with criticPairs on plain arrays, the fast engine form', () => {
    const prototypes = ['p'];
    expect(
      criticPairs('semantic', { ...z, prototypes }).map((p) => [p.critic, p.real, p.fake]),
    ).toEqual([
      ['sketch', ['p'], ['zs']],
      ['image', ['p'], ['zi']],
    ]);
  });

  it('names an unknown placement', () => {
    expect(() => projectorCriticScores('both' as never, z, critic)).toThrow(/placement/);
  });
});
