// Shared pieces for benchmarks: time a function, run a Python peer, print a comparison table.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

/** Python with Debian's numpy / scikit-learn / torch (bench/run.mjs --install-peers installs them). */
export const PYTHON = process.env.ZS_SBIR_BENCH_PYTHON ?? '/usr/bin/python3';

/**
 * Times `fn` (sync or async): `warmup` untimed runs, then `repeats` timed runs.
 * @returns seconds per run: the median and every sample.
 */
export async function timeIt(fn, { warmup = 1, repeats = 5 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await fn();
    samples.push((performance.now() - t0) / 1000);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], samples };
}

/**
 * Runs a Python peer script that prints one JSON object on its last stdout line.
 * @returns the parsed object, or null (with the reason) when the peer cannot run here.
 */
export function runPython(script, args = [], { env = {} } = {}) {
  const res = spawnSync(PYTHON, [script, ...args.map(String)], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error || res.status !== 0) {
    return {
      error:
        (res.error?.message ?? res.stderr.trim().split('\n').slice(-3).join(' ')) ||
        `exit ${res.status}`,
    };
  }
  const last = res.stdout.trim().split('\n').at(-1);
  return JSON.parse(last);
}

/** Peak resident memory of this process so far, in MiB. */
export function peakRssMiB() {
  return process.resourceUsage().maxRSS / 1024;
}

/**
 * Prints rows `{ case, impl, seconds, extra? }` grouped by case, with each implementation's
 * time and its ratio to the `baseline` implementation (ratio > 1: we are faster).
 */
export function printComparison(title, rows, { baseline, ours = 'zs-sbir' } = {}) {
  console.log(`\n## ${title}\n`);
  console.log('| case | implementation | seconds | speed-up vs ' + baseline + ' | notes |');
  console.log('|---|---|---|---|---|');
  const cases = [...new Set(rows.map((r) => r.case))];
  for (const c of cases) {
    const group = rows.filter((r) => r.case === c);
    const base = group.find((r) => r.impl === baseline);
    for (const r of group) {
      const ratio = base && r.seconds ? (base.seconds / r.seconds).toFixed(2) + 'x' : '-';
      const secs = r.seconds == null ? (r.error ? 'n/a' : '-') : r.seconds.toFixed(4);
      const note = r.error ? `not run: ${r.error}` : (r.note ?? '');
      console.log(
        `| ${c} | ${r.impl}${r.impl === ours ? ' (ours)' : ''} | ${secs} | ${ratio} | ${note} |`,
      );
    }
  }
}

/** A short description of this machine for the benchmark record. */
export async function machineInfo() {
  const os = await import('node:os');
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  return `${os.cpus().length} x ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}`;
}
