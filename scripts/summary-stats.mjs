#!/usr/bin/env node
// Mean and standard deviation of each method's mAP@all over several `zs-sbir-train --compare`
// runs (their summary.json files), e.g. the comparison on split seeds 1-5:
//   node scripts/summary-stats.mjs /tmp/runs/1 /tmp/runs/2 ... [--json]
// prints a markdown table (mean ± sample std, each run's figure) and the per-run checks.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * @typedef {{ method: string, mAPAll: number | null }} Row
 * @typedef {{ rows: Row[], split?: { name: string } }} Summary
 * @typedef {{ method: string, values: number[], mean: number, std: number }} MethodStats
 */

/** Mean and sample standard deviation (n - 1; 0 for one value) of `values`. */
export function meanStd(values) {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const ss = values.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0 };
}

/**
 * Each method's mAP@all over `summaries` (in the order methods first appear), with mean and
 * sample std. A method missing from a summary, or with a null (NaN) figure, is an error naming
 * the run, so that a mean never silently covers fewer runs.
 *
 * @param {Summary[]} summaries
 * @param {string[]} names one label per summary, used in errors
 * @returns {MethodStats[]}
 */
export function summaryStats(summaries, names = summaries.map((_, i) => `run ${i + 1}`)) {
  const methods = [...new Set(summaries.flatMap((s) => s.rows.map((r) => r.method)))];
  return methods.map((method) => {
    const values = summaries.map((s, i) => {
      const v = s.rows.find((r) => r.method === method)?.mAPAll;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new Error(`${names[i]}: no mAP@all for method '${method}' in its summary.json`);
      }
      return v;
    });
    return { method, values, ...meanStd(values) };
  });
}

/**
 * The per-run checks: wad-cmsn above centred, and at least `ratio` x backbone, in each
 * run. @param {MethodStats[]} stats @returns {{ aboveCentred: boolean[], overBackbone: boolean[] }}
 */
export function perRunChecks(stats, ratio = 1.2) {
  const of = (m) => stats.find((s) => s.method === m)?.values ?? [];
  const wad = of('wad-cmsn');
  return {
    aboveCentred: wad.map((v, i) => v > of('centred')[i]),
    overBackbone: wad.map((v, i) => v >= ratio * of('backbone')[i]),
  };
}

const f4 = (x) => x.toFixed(4);

/** A markdown table: method, mean ± std, then one column per run. */
export function statsTable(stats, names) {
  const head = `| method | mean ± std (n=${names.length}) | ${names.join(' | ')} |`;
  const rule = `|---|---|${names.map(() => '---|').join('')}`;
  const body = stats.map(
    (s) => `| ${s.method} | ${f4(s.mean)} ± ${f4(s.std)} | ${s.values.map(f4).join(' | ')} |`,
  );
  return [head, rule, ...body].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const dirs = args.filter((a) => a !== '--json');
  if (dirs.length === 0) {
    console.error('usage: node scripts/summary-stats.mjs RUN_DIR... [--json]');
    process.exit(2);
  }
  const summaries = dirs.map((d) => JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8')));
  const stats = summaryStats(summaries, dirs);
  const checks = perRunChecks(stats);
  if (args.includes('--json')) {
    console.log(JSON.stringify({ runs: dirs, stats, checks }, null, 2));
  } else {
    console.log(
      statsTable(
        stats,
        dirs.map((d) => basename(d)),
      ),
    );
    console.log(`\nwad-cmsn > centred per run: ${checks.aboveCentred.join(', ')}`);
    console.log(`wad-cmsn >= 1.2 x backbone per run: ${checks.overBackbone.join(', ')}`);
  }
}
