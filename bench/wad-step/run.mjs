// One full WAD-CMSN training step (5 WGAN-GP updates of each of the two critics + one projector
// update with every loss term), batch 128, d = 64, D_v = 512 and 4096: @zs-sbir on WASM and on the
// pure-JS cpu backend against the same step in PyTorch on the CPU, in one run.
// See step.mjs and step.py for the step itself.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo, peakRssMiB, printComparison, runPython } from '../lib/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const node = (args) => {
  const r = spawnSync(process.execPath, [join(here, 'step.mjs'), ...args.map(String)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) return { error: r.stderr.trim().split('\n').at(-1) };
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
};
const spread = (r) =>
  r.samples ? `min ${Math.min(...r.samples).toFixed(3)} s over ${r.samples.length}` : '';

const rows = [];
for (const [dv, repeats, cpuRepeats, cpuWarmup] of [
  [512, 10, 2, 1],
  [4096, 3, 1, 0],
]) {
  const label = `D_v = ${dv}`;
  const add = (impl, r, note = '') =>
    rows.push({ case: label, impl, ...r, note: [note, spread(r)].filter(Boolean).join('; ') });
  add('pytorch', runPython(join(here, 'step.py'), [dv, repeats, 'same']), 'same step');
  add(
    'pytorch (one forward)',
    runPython(join(here, 'step.py'), [dv, repeats, 'one-forward']),
    'critics reuse the detached forward',
  );
  add('zs-sbir', node(['wasm', dv, repeats, 2]), 'wasm + BatchMatMul fix, analytic GP');
  add(
    'zs-sbir (autodiff GP)',
    node(['wasm', dv, repeats, 2, 'autodiff']),
    'wasm, GP by nested tf.grad',
  );
  add(
    'zs-sbir cpu (pure JS)',
    node(['cpu', dv, cpuRepeats, cpuWarmup]),
    cpuWarmup ? '' : 'one step, no warm-up',
  );
}
console.log(`machine: ${await machineInfo()}`);
printComparison('WAD-CMSN training step, batch 128, d = 64, 5 critic updates per critic', rows, {
  baseline: 'pytorch',
});
console.log(`\npeak RSS of the runner: ${peakRssMiB().toFixed(0)} MiB`);
