// A loss of your own in WAD-CMSN: register it by name, then name it in the config.
// Run from the repository root after `npm run build`: node docs/examples/custom-loss.mjs
import { createRng, initBackend, tf } from '@zs-sbir/core';
import { gatherRows, makeLoss, readOptions, registerLoss } from '@zs-sbir/losses';
import { createWadCmsn } from '@zs-sbir/wad-cmsn';

await initBackend();

// Prototype margin: every embedding's cosine to its own class prototype should exceed `margin`.
// L = mean(max(0, margin - cos(z_m, p_y))) over both branches.
registerLoss('prototype-margin', (options) => {
  const o = readOptions('prototype-margin', options, {
    margin: { type: 'number', default: 0.5 },
  });
  return makeLoss('prototype-margin', o, (ctx) =>
    tf.tidy(() => {
      const parts = {};
      for (const branch of ['sketch', 'image']) {
        const z = tf.div(ctx.embeddings[branch], tf.norm(ctx.embeddings[branch], 2, 1, true));
        const p = gatherRows(ctx.prototypes, ctx.labels); // the rows of each sample's class
        const cos = tf.sum(tf.mul(z, tf.div(p, tf.norm(p, 2, 1, true))), 1);
        parts[branch] = tf.mean(tf.relu(tf.sub(o.margin, cos)));
      }
      return { loss: tf.add(parts.sketch, parts.image), parts };
    }),
  );
});

// The recipe with the new term beside the default ones, on random data of the right shapes.
const rng = createRng(0);
const [visualDim, sideInfoDim, classes, batch] = [128, 32, 10, 20];
const model = createWadCmsn(
  { losses: { 'prototype-margin': { weight: 0.5, margin: 0.3 } }, critic: { steps: 2 } },
  { visualDim, sideInfoDim, sideInfo: rng.fill(classes * sideInfoDim, () => rng.normal()) },
);
for (let step = 1; step <= 3; step++) {
  const result = model.trainStep(
    {
      sketch: rng.fill(batch * visualDim, () => rng.normal()),
      image: rng.fill(batch * visualDim, () => rng.normal()),
      labels: Int32Array.from({ length: batch }, (_, i) => i % classes),
    },
    rng,
  );
  const margin = result.parts['prototype-margin'].toFixed(4);
  console.log(`step ${step}: loss ${result.loss.toFixed(4)}, prototype-margin ${margin}`);
}
model.dispose();
