// A loss of your own in WAD-CMSN: register it by name, then name it in the config; give it a graph
// form too and it also trains on the faster ONNX Runtime engine.
// Run from the repository root after `npm run build`: node docs/examples/custom-loss.mjs
import { createRng, initBackend, tf } from '@zs-sbir/core';
import { gatherRows, makeLoss, readOptions, registerLoss } from '@zs-sbir/losses';
import { createOnnxTrainer, createWadCmsn, registerGraphLoss } from '@zs-sbir/wad-cmsn';
import * as v from 'valibot';

await initBackend();

// Prototype margin: every embedding's cosine to its own class prototype should exceed `margin`.
// L = mean(max(0, margin - cos(z_m, p_y))) over both branches.
registerLoss('prototype-margin', (options) => {
  const o = readOptions(
    'prototype-margin',
    options,
    v.strictObject({ margin: v.optional(v.number(), 0.5) }),
  );
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

// The same equation for the onnx engine, on graph values: ctx.oneHot [batch, classes] picks rows.
registerGraphLoss('prototype-margin', (g, term, ctx) => {
  const unit = (x) => g.div(x, g.sqrt(g.reduceSum(g.square(x), [1], true)));
  const p = unit(g.matMul(ctx.oneHot, ctx.prototypes));
  const parts = {};
  for (const branch of ['sketch', 'image']) {
    const cos = g.reduceSum(g.mul(unit(ctx.embeddings[branch]), p), [1]);
    parts[branch] = g.mean(g.relu(g.sub(term.options.margin, cos)));
  }
  return { loss: g.add(parts.sketch, parts.image), parts };
});

// The recipe with the new term beside the default ones, on random data of the right shapes,
// trained by both engines from the same start with the same random draws.
const data = createRng(0);
const [visualDim, sideInfoDim, classes, batch] = [128, 32, 10, 20];
const setup = {
  visualDim,
  sideInfoDim,
  sideInfo: data.fill(classes * sideInfoDim, () => data.normal()),
};
const config = {
  losses: { 'prototype-margin': { weight: 0.5, margin: 0.3 } },
  critic: { steps: 2 },
};
const model = createWadCmsn(config, setup);
const twin = createWadCmsn(config, setup);
const trainer = await createOnnxTrainer(twin);
const [rng, twinRng] = [createRng(1), createRng(1)];
for (let step = 1; step <= 3; step++) {
  const b = {
    sketch: data.fill(batch * visualDim, () => data.normal()),
    image: data.fill(batch * visualDim, () => data.normal()),
    labels: Int32Array.from({ length: batch }, (_, i) => i % classes),
  };
  const result = model.trainStep(b, rng);
  const fast = await trainer.step(b, twinRng);
  const margin = (r) => r.parts['prototype-margin'].toFixed(4);
  console.log(
    `step ${step}: loss ${result.loss.toFixed(4)}, prototype-margin ${margin(result)} (onnx engine: ${fast.loss.toFixed(4)}, ${margin(fast)})`,
  );
}
await trainer.dispose();
model.dispose();
twin.dispose();
