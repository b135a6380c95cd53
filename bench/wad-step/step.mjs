// One full WAD-CMSN training step, as the recipe runs it (`createWadCmsn(...).trainStep` with the
// design defaults; the same step as step.py): batch 128, D_v visual features, d = 64, D_s = 300,
// 100 seen classes.
//   critic phase: project both branches (training mode, no gradient), then for each of the two
//     semantic critics 5 WGAN-GP updates (lambda 10, Adam 1e-4 / 0.5 / 0.9);
//   projector phase: project again with gradient, all WAD-CMSN terms (adversarial 1, identity 1
//     with tau 0.1, regression 0.1, L1 reconstruction 1, side-info MSE 1), one Adam step
//     (1e-4 / 0.5 / 0.999) on projectors, decoders and the side-info autoencoder.
// Usage: node step.mjs <wasm|cpu|onnx> <D_v> <repeats> <warmup> [<terms>]; prints {seconds, samples}
// as JSON. terms: `default` (the five terms above) or `triplet-classification` (those and the
// `triplet` and `classification` terms, weight 1 each, their defaults; as step.py).
//   onnx: the ONNX Runtime engine (`createOnnxTrainer(model).step`), TensorFlow.js on WASM beside it.
import { createRng, initBackend, tf } from '../../packages/core/dist/index.js';
import { createOnnxTrainer, createWadCmsn } from '../../packages/wad-cmsn/dist/index.js';
import { timeIt } from '../lib/harness.mjs';

const [backend = 'wasm', dv = '512', repeats = '5', warmup = '1', terms = 'default'] =
  process.argv.slice(2);
const TERMS = {
  default: {},
  'triplet-classification': { losses: { triplet: { weight: 1 }, classification: { weight: 1 } } },
};
if (!TERMS[terms]) {
  throw new Error(`step.mjs: terms must be one of ${Object.keys(TERMS).join(', ')}, got ${terms}`);
}
const report = await initBackend({ backend: backend === 'onnx' ? 'wasm' : backend });
const [batch, visualDim, sideInfoDim, classes] = [128, Number(dv), 300, 100];
const rng = createRng('wad-step');
const model = createWadCmsn(TERMS[terms], {
  visualDim,
  sideInfoDim,
  sideInfo: rng.fill(classes * sideInfoDim, () => rng.normal()),
});
const data = {
  sketch: rng.fill(batch * visualDim, () => rng.normal()),
  image: rng.fill(batch * visualDim, () => rng.normal()),
  labels: Int32Array.from({ length: batch }, (_, i) => i % classes),
};
const trainer = backend === 'onnx' ? await createOnnxTrainer(model) : null;
const step = trainer ? () => trainer.step(data, rng) : () => model.trainStep(data, rng);
const t = await timeIt(step, {
  warmup: Number(warmup),
  repeats: Number(repeats),
});
console.log(
  JSON.stringify({
    seconds: t.median,
    samples: t.samples,
    backend: trainer ? 'onnx' : report.backend,
    batchMatMulGradientFix: report.batchMatMulGradientFix,
    tensors: tf.memory().numTensors,
  }),
);
await trainer?.dispose();
