// QD-Emoji build time: a cold build into an empty cache, then a warm one (a fresh process that
// finds the complete-marker), each including Node start-up and module import. Every number is
// for the full benchmark with default options (224 px, 3 views per training design). Then the
// unseen-class mAP@all of an off-the-shelf baseline and of chance (baseline.mjs); the baseline
// needs @zs-sbir/core, data, backbones and metrics built.
//   npm run build && node bench/run.mjs qd-emoji
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineInfo, printComparison } from '../lib/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const node = (script, args) => {
  const r = spawnSync(process.execPath, [join(here, script), ...args], { encoding: 'utf8' });
  if (r.status !== 0) return { error: r.stderr.trim().split('\n').at(-1) };
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
};
const build = (cacheDir) => node('build.mjs', [cacheDir]);

const cache = mkdtempSync(join(tmpdir(), 'qd-emoji-bench-'));
try {
  const cold = build(cache);
  const warm = build(cache);
  console.log(`machine: ${await machineInfo()}`);
  const note = (r) =>
    r.error
      ? undefined
      : `${r.progress.written} files rendered, ${r.progress.reused} reused, peak RSS ${r.peakRssMiB} MiB`;
  printComparison(
    'QD-Emoji full build (159 classes, 224 px, 3 views per training design)',
    [
      {
        case: 'cold (empty cache)',
        impl: 'zs-sbir',
        seconds: cold.seconds,
        note: note(cold),
        error: cold.error,
      },
      {
        case: 'warm (cached)',
        impl: 'zs-sbir',
        seconds: warm.seconds,
        note: note(warm),
        error: warm.error,
      },
    ],
    { baseline: 'none' },
  );
  if (!cold.error) {
    const { classes, sketches, images, trainViews, skipped, split } = cold;
    console.log(
      `\nclasses ${classes} (seen ${split.seen}, validation ${split.validation}, unseen ${split.unseen}), ` +
        `sketches ${sketches}, gallery images ${images}, training views ${trainViews}, skipped ${skipped}`,
    );
  }
  const base = node('baseline.mjs', [cache, '25']);
  console.log('\n## QD-Emoji unseen classes, off-the-shelf baseline (no training)\n');
  if (base.error) {
    console.log(`not run: ${base.error}`);
  } else {
    console.log(
      `${base.queries} sketch queries (25 per unseen class) against ${base.gallery} gallery images of ` +
        `the ${base.unseenClasses} unseen classes, mAP@all (sklearn AP)\n`,
    );
    console.log('| ranking | mAP@all | notes |\n|---|---|---|');
    console.log(
      `| chance (expected AP of a random ranking) | ${base.chance.toFixed(4)} | closed form |`,
    );
    console.log(
      `| random scores | ${base.randomScores.toFixed(4)} | seeded uniform scores, measured |`,
    );
    console.log(
      `| ${base.backbone}, cosine | ${base.mapAll.toFixed(4)} | features at ` +
        `${base.imagesPerSecond.toFixed(1)} images/s (TF.js WASM); best ${base.bestClasses.join(', ')}; ` +
        `worst ${base.worstClasses.join(', ')} |`,
    );
  }
} finally {
  rmSync(cache, { recursive: true, force: true });
}
