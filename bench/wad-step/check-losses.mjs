// Checks that step.py's `triplet` and `classification` terms compute what @zs-sbir/losses does:
// both sides evaluate them on the same embeddings, labels and classifier weights (ours from
// `classificationLoss`'s own Glorot init), and must agree to 1e-4 (relative).
// Usage: node check-losses.mjs; run.mjs runs it before timing the triplet-classification case.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, initBackend, tf } from '../../packages/core/dist/index.js';
import { classificationLoss, tripletLoss } from '../../packages/losses/dist/index.js';
import { runPython } from '../lib/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** The two terms on both sides: `{ ours, pytorch, ok }` per term, or `{ error }`. */
export async function checkLosses({ rows = 128, d = 64, classes = 100 } = {}) {
  await initBackend({ backend: 'cpu' });
  const rng = createRng('wad-step/check-losses');
  const sketch = rng.fill(rows * d, () => 0.3 * rng.normal());
  const image = rng.fill(rows * d, () => 0.3 * rng.normal());
  const labels = Int32Array.from({ length: rows }, (_, i) => i % classes);
  const classification = classificationLoss({ classes, inputDim: d });
  const [weight, bias] = classification.trainableVariables.map((v) => v.dataSync());
  const ours = tf.tidy(() => {
    const ctx = {
      embeddings: { sketch: tf.tensor2d(sketch, [rows, d]), image: tf.tensor2d(image, [rows, d]) },
      labels: tf.tensor1d(labels, 'int32'),
    };
    return {
      triplet: tripletLoss()(ctx).loss.dataSync()[0],
      classification: classification(ctx).loss.dataSync()[0],
    };
  });
  classification.dispose();
  const dir = mkdtempSync(join(tmpdir(), 'wad-step-check-'));
  const file = join(dir, 'inputs.json');
  const data = { d, classes, labels: [...labels], sketch: [...sketch], image: [...image] };
  writeFileSync(file, JSON.stringify({ ...data, weight: [...weight], bias: [...bias] }));
  const pytorch = runPython(join(here, 'step.py'), ['check', file]);
  rmSync(dir, { recursive: true });
  if (pytorch.error) return { error: pytorch.error };
  return Object.fromEntries(
    Object.keys(ours).map((k) => [
      k,
      {
        ours: ours[k],
        pytorch: pytorch[k],
        ok: Math.abs(ours[k] - pytorch[k]) <= 1e-4 * Math.max(1, Math.abs(pytorch[k])),
      },
    ]),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await checkLosses();
  console.log(JSON.stringify(result));
  if (result.error || Object.values(result).some((r) => !r.ok)) process.exit(1);
}
