// Adam step of an MLP 4096 -> 1024 -> 300, batch 64: TF.js cpu, wasm with and without core's
// BatchMatMul gradient fix, and PyTorch CPU, in one run.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo, printComparison, runPython } from '../lib/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const node = (backend, fix, repeats) => {
  const r = spawnSync(process.execPath, [join(here, 'step.mjs'), backend, fix, String(repeats)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) return { error: r.stderr.trim().split('\n').at(-1) };
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
};
const label = 'MLP 4096-1024-300 Adam step, batch 64';
const results = [
  { impl: 'pytorch', ...runPython(join(here, 'step.py'), [5]) },
  { impl: 'zs-sbir', note: 'wasm + BatchMatMul fix', ...node('wasm', 'fix', 5) },
  { impl: 'tfjs wasm (stock gradient)', ...node('wasm', 'nofix', 3) },
  { impl: 'tfjs cpu (pure JS)', ...node('cpu', 'fix', 1) },
];
console.log(`machine: ${await machineInfo()}`);
printComparison(
  label,
  results.map((r) => ({ case: label, ...r })),
  { baseline: 'pytorch' },
);
