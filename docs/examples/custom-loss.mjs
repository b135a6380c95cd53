// A loss of your own in WAD-CMSN: register it by name, then name it in the config. Written once
// with the operations makeLoss hands it, it trains on both engines (TensorFlow.js and the faster
// ONNX Runtime engine).
// Run from the repository root after `npm run build`: node docs/examples/custom-loss.mjs
import { createRng, initBackend } from '@zs-sbir/core';
import { makeLoss, readOptions, registerLoss } from '@zs-sbir/losses';
import { createOnnxTrainer, createWadCmsn } from '@zs-sbir/wad-cmsn';
import * as v from 'valibot';

await initBackend();

// Prototype margin: every embedding's cosine to its own class prototype should exceed `margin`.
// L = mean(max(0, margin - cos(z_m, p_y))) over both branches. `ops` has TensorFlow.js's names;
// it computes eagerly on TensorFlow.js and builds a graph on the onnx engine.
registerLoss('prototype-margin', (options) => {
  const o = readOptions(
    'prototype-margin',
    options,
    v.strictObject({ margin: v.optional(v.number(), 0.5) }),
  );
  return makeLoss('prototype-margin', o, (ops, ctx) => {
    const unit = (x) => ops.div(x, ops.sqrt(ops.sum(ops.square(x), 1, true)));
    const classes = ops.shape(ctx.prototypes)[0];
    // The rows of each sample's class: oneHot(labels) @ prototypes.
    const p = unit(ops.matMul(ops.oneHot(ctx.labels, classes), ctx.prototypes));
    const parts = {};
    for (const branch of ['sketch', 'image']) {
      const cos = ops.sum(ops.mul(unit(ctx.embeddings[branch]), p), 1);
      parts[branch] = ops.mean(ops.relu(ops.sub(o.margin, cos)));
    }
    return { loss: ops.add(parts.sketch, parts.image), parts };
  });
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
