// One Adam step of an MLP 4096 -> 1024 -> 300 (ReLU, MSE to random targets), batch 64.
// Usage: node step.mjs <cpu|wasm> <fix|nofix> <repeats>; prints {seconds} as JSON.
import { createRng, initBackend, tf } from '../../packages/core/dist/index.js';
import { timeIt } from '../lib/harness.mjs';

const [backend = 'wasm', fix = 'fix', repeats = '5'] = process.argv.slice(2);
await initBackend({ backend, batchMatMulGradientFix: fix === 'fix' });
const rng = createRng(0);
const glorot = (fanIn, fanOut) => {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.variable(
    tf.tensor2d(
      rng.fill(fanIn * fanOut, () => rng.uniform(-limit, limit)),
      [fanIn, fanOut],
    ),
  );
};
const w1 = glorot(4096, 1024);
const b1 = tf.variable(tf.zeros([1024]));
const w2 = glorot(1024, 300);
const b2 = tf.variable(tf.zeros([300]));
const x = tf.tensor2d(
  rng.fill(64 * 4096, () => rng.normal()),
  [64, 4096],
);
const y = tf.tensor2d(
  rng.fill(64 * 300, () => rng.normal()),
  [64, 300],
);
const opt = tf.train.adam(1e-4);
const step = async () => {
  const loss = opt.minimize(
    () =>
      tf.losses.meanSquaredError(
        y,
        tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2),
      ),
    true,
  );
  await loss.data();
  loss.dispose();
};
const t = await timeIt(step, { warmup: 1, repeats: Number(repeats) });
console.log(JSON.stringify({ seconds: t.median, samples: t.samples }));
