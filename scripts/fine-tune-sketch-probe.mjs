#!/usr/bin/env node
// Fine-tunes the sketch branch's backbone on the QD-Emoji split's seen classes and scores it with
// the training-free validation probe against the frozen one (images keep the frozen backbone):
//   node scripts/fine-tune-sketch-probe.mjs --out DIR [--epochs 1] [--sketches-per-class 30]
//     [--learning-rate 1e-4] [--batch-size 32]
//     [--backbone mobilenet-v2] [--layer block_13_expand_relu] [--input-size 112]
//     [--probe-sketches 5] [--split-seed N]
// Needs the packages built (npx turbo run build --filter=@zs-sbir/experiment...). Writes the tuned
// network and fine-tune.json to DIR/tuned (reused when present), probe.json to DIR; the probe's
// features are cached under $ZS_SBIR_CACHE (default ~/.cache/zs-sbir). Never reads test classes.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initBackend } from '@zs-sbir/core';
import {
  fineTuneSketchBranch,
  openExperiment,
  probeFeatures,
  probeTable,
} from '@zs-sbir/experiment';
import { cacheRoot } from '@zs-sbir/qd-emoji';

const { values: v } = parseArgs({
  options: {
    out: { type: 'string' },
    epochs: { type: 'string', default: '1' },
    'sketches-per-class': { type: 'string', default: '30' },
    'learning-rate': { type: 'string', default: '1e-4' },
    'batch-size': { type: 'string', default: '32' },
    backbone: { type: 'string', default: 'mobilenet-v2' },
    layer: { type: 'string', default: 'block_13_expand_relu' },
    'input-size': { type: 'string', default: '112' },
    'probe-sketches': { type: 'string', default: '5' },
    'split-seed': { type: 'string' },
  },
});
if (!v.out) throw new Error('--out DIR is required');
const int = (name) => {
  const n = Number(v[name]);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name} ${v[name]}: expected a positive integer`);
  return n;
};
const inputSize = int('input-size');
const rate = Number(v['learning-rate']);
if (!(rate > 0))
  throw new Error(`--learning-rate ${v['learning-rate']}: expected a positive number`);
const cacheDir = cacheRoot();
const log = (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

log(JSON.stringify(await initBackend()));
const experiment = await openExperiment({
  dataset: 'qd-emoji',
  cacheDir,
  semantics: false,
  renderSize: inputSize,
  ...(v['split-seed'] ? { splitSeed: int('split-seed') } : {}),
});
const frozen = { backbone: v.backbone, layer: v.layer, inputSize };
const saveTo = join(v.out, 'tuned');
const record = join(saveTo, 'fine-tune.json');
let tuned = await readFile(record, 'utf8').then(JSON.parse, () => null);
if (tuned) {
  log(`reusing ${saveTo} (${tuned.sketches} sketches, ${tuned.epochs} epoch(s))`);
} else {
  log(
    `fine-tuning ${v.backbone} ${v.layer} ${inputSize}px on the seen classes of ${experiment.split.name}`,
  );
  tuned = await fineTuneSketchBranch(experiment, {
    backbone: frozen,
    saveTo,
    // A model there without its record is this script's own run, stopped before it finished.
    overwrite: true,
    epochs: int('epochs'),
    sketchesPerClass: int('sketches-per-class'),
    batchSize: int('batch-size'),
    learningRate: rate,
    onProgress: (p) =>
      log(
        `epoch ${p.epoch} batch ${p.batch}/${p.batches} loss ${p.loss.toFixed(3)} accuracy ${p.accuracy.toFixed(3)}`,
      ),
  });
}
log(
  `tuned on ${tuned.sketches} sketches of ${tuned.classes} seen classes, ${tuned.epochs} epoch(s) in ${tuned.seconds.toFixed(0)} s: ${tuned.history.map((h) => `loss ${h.loss.toFixed(3)}, accuracy ${h.accuracy.toFixed(3)}`).join('; ')}`,
);
const probe = await probeFeatures(experiment, {
  candidates: [frozen, { ...frozen, sketchWeights: saveTo }],
  cacheDir,
  sketchesPerClass: int('probe-sketches'),
  workers: 1,
  onProgress: (p) => p.done === p.total && log(`${p.task} ${p.done}/${p.total} ${p.status ?? ''}`),
});
log(
  `${probe.sketches} sketches x ${probe.images} images of ${probe.classes.length} validation classes\n${probeTable(probe)}`,
);
await mkdir(v.out, { recursive: true });
await writeFile(
  join(v.out, 'probe.json'),
  `${JSON.stringify({ fineTune: tuned, probe }, null, 2)}\n`,
);
log(`wrote ${join(v.out, 'probe.json')}`);
