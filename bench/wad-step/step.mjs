// One full WAD-CMSN training step built from @zs-sbir/semantic, critic and losses (the same step
// as step.py): batch 128, D_v visual features, d = 64, D_s = 300, 100 seen classes.
//   critic phase: project both branches (training mode, no gradient), then for each of the two
//     semantic critics 5 WGAN-GP updates (lambda 10, Adam 1e-4 / 0.5 / 0.9);
//   projector phase: project again with gradient, all WAD-CMSN terms (adversarial 1, identity 1
//     with tau 0.1, regression 0.1, L1 reconstruction 1, side-info MSE 1), one Adam step
//     (1e-4 / 0.5 / 0.999) on projectors, decoders and the side-info autoencoder.
// Usage: node step.mjs <wasm|cpu> <D_v> <repeats> <warmup>; prints {seconds, samples} as JSON.
import { createRng, initBackend, tf } from '../../packages/core/dist/index.js';
import {
  createDiscriminator,
  criticNames,
  criticPairs,
  criticStep,
} from '../../packages/critic/dist/index.js';
import { gatherRows, lossFromConfig } from '../../packages/losses/dist/index.js';
import {
  createDecoder,
  createProjector,
  createSideInfoAutoencoder,
} from '../../packages/semantic/dist/index.js';
import { timeIt } from '../lib/harness.mjs';

const [backend = 'wasm', dv = '512', repeats = '5', warmup = '1'] = process.argv.slice(2);
const report = await initBackend({ backend });
const [batch, visual, d, sideDim, classes] = [128, Number(dv), 64, 300, 100];
const placement = 'semantic';

const rng = createRng('wad-step');
const matrix = (rows, cols) =>
  tf.tensor2d(
    rng.fill(rows * cols, () => rng.normal()),
    [rows, cols],
  );
const xSk = matrix(batch, visual);
const xIm = matrix(batch, visual);
const side = matrix(classes, sideDim);
const labels = tf.tensor1d(
  Array.from({ length: batch }, (_, i) => i % classes),
  'int32',
);

const gSk = createProjector({ inputDim: visual, outputDim: d, seed: 'g-sk' });
const gIm = createProjector({ inputDim: visual, outputDim: d, seed: 'g-im' });
const fSk = createDecoder({ inputDim: d, outputDim: visual, seed: 'f-sk' });
const fIm = createDecoder({ inputDim: d, outputDim: visual, seed: 'f-im' });
const se = createSideInfoAutoencoder({ inputDim: sideDim, outputDim: d, seed: 'se' });
const critics = {};
const criticOptimizers = {};
for (const name of criticNames(placement)) {
  critics[name] = createDiscriminator({ inputDim: d, seed: `critic/${name}` });
  criticOptimizers[name] = tf.train.adam(1e-4, 0.5, 0.9);
}
const total = lossFromConfig({
  terms: {
    adversarial: { weight: 1 },
    identity: { weight: 1, tau: 0.1 },
    regression: { weight: 0.1 },
    reconstruction: { weight: 1 },
    'side-info': { weight: 1 },
  },
});
const generatorVariables = [gSk, gIm, fSk, fIm, se, total].flatMap((m) => m.trainableVariables);
const generatorOptimizer = tf.train.adam(1e-4, 0.5, 0.999);
const gpRng = createRng('gp');
const train = { training: true };

const project = () => {
  const sketch = gSk.apply(xSk, train);
  const image = gIm.apply(xIm, train);
  const prototypes = se.encode(side, train);
  return { sketch, image, prototypes, perSample: gatherRows(prototypes, labels) };
};

function step() {
  const projected = project();
  const critic = criticPairs(placement, { ...projected, prototypes: projected.perSample }).map(
    (pair) =>
      criticStep({
        discriminator: critics[pair.critic],
        optimizer: criticOptimizers[pair.critic],
        real: pair.real,
        fake: pair.fake,
        nCritic: 5,
        rng: gpRng,
      }),
  );
  tf.dispose(Object.values(projected));
  const logged = [];
  const { value, grads } = tf.variableGrads(() => {
    const z = project();
    const pairs = criticPairs(placement, { ...z, prototypes: z.perSample });
    const { loss, parts } = total({
      embeddings: { sketch: z.sketch, image: z.image },
      labels,
      prototypes: z.prototypes,
      criticScores: Object.fromEntries(
        pairs.map((p) => [p.critic, { fake: critics[p.critic].critic.apply(p.fake) }]),
      ),
      reconstructions: {
        sketch: { output: fSk.apply(z.sketch, train), target: xSk },
        image: { output: fIm.apply(z.image, train), target: xIm },
      },
      sideInfo: { input: side, reconstruction: se.decode(z.prototypes, train) },
    });
    for (const part of Object.values(parts)) logged.push(tf.keep(part));
    return loss;
  }, generatorVariables);
  generatorOptimizer.applyGradients(grads);
  const values = tf.tidy(() => tf.stack([value, ...logged]).dataSync());
  tf.dispose([value, ...logged, ...Object.values(grads)]);
  return { critic, loss: values[0] };
}

const t = await timeIt(step, { warmup: Number(warmup), repeats: Number(repeats) });
console.log(
  JSON.stringify({
    seconds: t.median,
    samples: t.samples,
    backend: report.backend,
    batchMatMulGradientFix: report.batchMatMulGradientFix,
    tensors: tf.memory().numTensors,
  }),
);
