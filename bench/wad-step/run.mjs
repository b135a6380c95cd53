// One full WAD-CMSN training step (5 WGAN-GP updates of each of the two critics + one projector
// update with every loss term), batch 128, d = 64, D_v = 512 and 4096: @zs-sbir's ONNX Runtime
// engine, TensorFlow.js on WASM and on the pure-JS cpu backend against the same step in PyTorch on
// the CPU (its default thread count, and two threads), in one run.
// See step.mjs and step.py for the step itself. A second case turns the `triplet` and
// `classification` terms on too (weight 1 each, on both sides), timing PyTorch and the ONNX
// engine; before it, check-losses.mjs checks that step.py's two terms equal ours on one input.
// WAD_STEP_TERMS=default or =triplet-classification runs one case only.
//
// The development machine is shared, so implementations are run in alternating rounds and the
// table reports the fastest step of each (the least disturbed), with the median in the notes.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo, peakRssMiB, printComparison, runPython } from '../lib/harness.mjs';
import { checkLosses } from './check-losses.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const rounds = Number(process.env.WAD_STEP_ROUNDS ?? 3);
const TERMS = ['default', 'triplet-classification'];
const terms = (process.env.WAD_STEP_TERMS ?? TERMS.join(',')).split(',');
const unknownTerms = terms.filter((t) => !TERMS.includes(t));
if (unknownTerms.length) {
  console.error(`WAD_STEP_TERMS: unknown ${unknownTerms.join(', ')}; expected ${TERMS.join(', ')}`);
  process.exit(2);
}

const node = (args) => {
  const r = spawnSync(process.execPath, [join(here, 'step.mjs'), ...args.map(String)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) return { error: r.stderr.trim().split('\n').at(-1) };
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
};

/** Pools the samples of several runs: fastest as `seconds`, the median and count in a note. */
function pooled(runs, note) {
  const failed = runs.find((r) => r.error);
  if (failed) return { error: failed.error };
  const samples = runs.flatMap((r) => r.samples).sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  return {
    seconds: samples[0],
    note: [note, `median ${median.toFixed(3)} s of ${samples.length}`].filter(Boolean).join('; '),
  };
}

/** `[impl, note, run(dv, repeats)]` for one set of loss terms. */
const implsFor = (terms) => [
  ['pytorch', 'same step', (dv, n) => runPython(join(here, 'step.py'), [dv, n, 'same', terms])],
  [
    'pytorch (2 threads)',
    'OMP_NUM_THREADS=2',
    (dv, n) =>
      runPython(join(here, 'step.py'), [dv, n, 'same', terms], { env: { OMP_NUM_THREADS: '2' } }),
  ],
  [
    'pytorch (one forward)',
    'critics reuse the detached forward',
    (dv, n) => runPython(join(here, 'step.py'), [dv, n, 'one-forward', terms]),
  ],
  ['zs-sbir onnx', 'ONNX Runtime engine', (dv, n) => node(['onnx', dv, n, 1, terms])],
  ['zs-sbir wasm', 'TF.js WASM + BatchMatMul fix', (dv, n) => node(['wasm', dv, n, 1, terms])],
];
/** The triplet-classification case times the engines the issue compares: PyTorch and ONNX. */
const CASES = {
  default: { label: '', impls: implsFor('default') },
  'triplet-classification': {
    label: ', + triplet + classification',
    impls: implsFor('triplet-classification').filter(([impl]) =>
      ['pytorch', 'pytorch (2 threads)', 'zs-sbir onnx'].includes(impl),
    ),
  },
};

const rows = [];
if (terms.includes('triplet-classification')) {
  const check = await checkLosses();
  console.log(`triplet and classification, ours vs step.py on one input: ${JSON.stringify(check)}`);
  if (check.error || Object.values(check).some((r) => !r.ok)) {
    console.error('step.py does not compute the triplet and classification terms as ours do');
    process.exit(1);
  }
}
for (const name of terms) {
  const { label: suffix, impls } = CASES[name];
  for (const [dv, repeats] of [
    [512, 5],
    [4096, 2],
  ]) {
    const runs = impls.map(() => []);
    for (let round = 0; round < rounds; round++) {
      impls.forEach(([, , run], i) => {
        runs[i].push(run(dv, repeats));
      });
    }
    const label = `D_v = ${dv}${suffix}`;
    impls.forEach(([impl, note], i) => {
      rows.push({ case: label, impl, ...pooled(runs[i], note) });
    });
    if (name !== 'default') continue;
    // The pure-JS backend is slow at D_v = 4096: one step, no warm-up.
    const cpu = dv === 512 ? node(['cpu', dv, 2, 1]) : node(['cpu', dv, 1, 0]);
    rows.push({
      case: label,
      impl: 'zs-sbir cpu (pure JS)',
      ...pooled([cpu], dv === 512 ? '' : 'one step, no warm-up'),
    });
  }
}
console.log(`machine: ${await machineInfo()}`);
printComparison('WAD-CMSN training step, batch 128, d = 64, 5 critic updates per critic', rows, {
  baseline: 'pytorch',
});
console.log(
  `\nfastest of ${rounds} alternating rounds; peak RSS of the runner: ${peakRssMiB().toFixed(0)} MiB`,
);
