import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  writeColourFolder,
  writeTinyConfig,
} from '../../../packages/experiment/src/train/colour-folder.testkit.js';
import { runTrain, type TrainCommandIo } from './train-command.js';

// A tiny folder dataset of WordNet nouns (so the hierarchy embedding needs no word vectors):
// each class a colour, sketches light and images dark, 16 px PNGs.
let root: string;
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'zs-sbir-pipeline-'));
  root = join(work, 'data');
  await writeColourFolder(root);
  await writeTinyConfig(join(work, 'config.json'));
});

/** Runs `zs-sbir-train` in-process on the tiny dataset, collecting its log lines. */
async function train(
  out: string,
  extra: string[] = [],
  cache = join(work, 'cache'),
  more: Partial<TrainCommandIo> = {},
) {
  const argv = [
    '--dataset',
    'folder',
    '--root',
    root,
    '--backbone',
    'small-cnn',
    '--input-size',
    '32',
    '--side-info',
    'hierarchy',
    '--config',
    join(work, 'config.json'),
    '--engine',
    'tfjs',
    '--out',
    out,
    '--cache-dir',
    cache,
    ...extra,
  ];
  const lines: string[] = [];
  const io: TrainCommandIo = {
    log: (line) => lines.push(line),
    stopRequested: () => false,
    signal: new AbortController().signal,
    script: 'unused',
    ...more,
  };
  const started = Date.now();
  try {
    const summary = await runTrain(argv, io);
    return { lines, summary, seconds: (Date.now() - started) / 1000 };
  } catch (err) {
    return { lines, error: err as Error, seconds: (Date.now() - started) / 1000 };
  }
}

/** Every file under `dir` with its SHA-256, to show that nothing changed. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return out;
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('zs-sbir-train keeps the runs it made', () => {
  it('a second run of the same command says the run is finished and trains nothing', async () => {
    const out = join(work, 'twice');
    const first = await train(out);
    expect(first.error).toBeUndefined();
    const run = join(out, 'wad-cmsn');
    expect(await exists(join(run, 'checkpoints', 'last', 'checkpoint.json'))).toBe(true);
    const before = await snapshot(out);

    const second = await train(out);
    expect(second.error).toBeUndefined();
    expect(second.lines.at(-1)).toMatch(
      new RegExp(
        `^${run}: already finished \\(epoch 2 of 2, .*\\); its report is in .*--overwrite trains it again$`,
      ),
    );
    // No data work, no training: no dataset line, and not one file changed.
    expect(second.lines.some((l) => l.startsWith('dataset '))).toBe(false);
    expect(await snapshot(out)).toEqual(before);

    // A larger budget without --resume is refused; nothing is touched.
    const longer = await train(out, ['--epochs', '3']);
    expect(longer.error?.message).toMatch(
      new RegExp(
        `^${run} holds an unfinished run \\(epoch 2 of 3, .*\\); --resume continues it, --overwrite starts it again \\(deleting it\\), or give another --out$`,
      ),
    );
    expect(await snapshot(out)).toEqual(before);

    // --resume continues it to epoch 3; the log keeps epochs 1 and 2 and adds 3.
    const resumed = await train(out, ['--epochs', '3', '--resume']);
    expect(resumed.error).toBeUndefined();
    expect(resumed.lines).toContain('wad-cmsn: resuming after epoch 2');
    const log = (await readFile(join(run, 'train-log.jsonl'), 'utf8')).trim().split('\n');
    expect(log.map((l) => (JSON.parse(l) as { epoch: number }).epoch)).toEqual([1, 2, 3]);
  });

  it('a misspelt loss fails in seconds on a cold cache, before any data work, deleting nothing', async () => {
    const out = join(work, 'typo');
    expect((await train(out)).error).toBeUndefined();
    const before = await snapshot(out);
    const bad = join(work, 'typo.json');
    await writeFile(bad, JSON.stringify({ losses: { tripplet: { weight: 1 } } }));
    const cold = join(work, 'cold-cache');
    const failed = await train(out, ['--config', bad, '--overwrite'], cold);
    expect(failed.error?.message).toMatch(
      /^config\.losses\.tripplet: unknown loss 'tripplet'; known losses are /,
    );
    expect(failed.seconds).toBeLessThan(10);
    expect(await exists(cold)).toBe(false);
    expect(await snapshot(out)).toEqual(before);
    // A misspelt option of a known loss, likewise.
    await writeFile(bad, JSON.stringify({ losses: { identity: { weight: 1, tua: 0.1 } } }));
    const option = await train(out, ['--config', bad], cold);
    expect(option.error?.message).toMatch(/^config\.losses\.identity: .*'tua'/);
    expect(await exists(cold)).toBe(false);
    expect(await snapshot(out)).toEqual(before);
  });

  it('--resume without last/ stops and names best/; --resume-from best continues from it', async () => {
    const out = join(work, 'lost-last');
    expect((await train(out, ['--epochs', '1'])).error).toBeUndefined();
    const run = join(out, 'wad-cmsn');
    await rm(join(run, 'checkpoints', 'last'), { recursive: true });
    const best = await snapshot(join(run, 'checkpoints', 'best'));
    const refused = await train(out, ['--epochs', '2', '--resume']);
    expect(refused.error?.message).toContain(
      `${run}: cannot resume, ${join(run, 'checkpoints', 'last')} is missing; --resume-from best continues from ${join(run, 'checkpoints', 'best')} (epoch 1`,
    );
    expect(await snapshot(join(run, 'checkpoints', 'best'))).toEqual(best);
    const fromBest = await train(out, ['--epochs', '2', '--resume-from', 'best']);
    expect(fromBest.error).toBeUndefined();
    expect(fromBest.lines).toContain('wad-cmsn: resuming after epoch 1 (from checkpoints/best)');
    expect(await exists(join(run, 'checkpoints', 'last', 'checkpoint.json'))).toBe(true);
  });

  it('--overwrite trains again from epoch 1', async () => {
    const out = join(work, 'overwrite');
    expect((await train(out)).error).toBeUndefined();
    const again = await train(out, ['--overwrite']);
    expect(again.error).toBeUndefined();
    const note = `${join(out, 'wad-cmsn')}: --overwrite: training it again (was epoch 2, `;
    expect(again.lines.filter((l) => l.startsWith(note))).toHaveLength(1);
    const log = (await readFile(join(out, 'wad-cmsn', 'train-log.jsonl'), 'utf8')).trim();
    expect(log.split('\n').map((l) => (JSON.parse(l) as { epoch: number }).epoch)).toEqual([1, 2]);
  });
});

describe('zs-sbir-train --compare says where the time went', () => {
  it('records each phase in summary.json and prints the phase table', async () => {
    const out = join(work, 'phases');
    // The method jobs run one after another in this process, as `runTrain --method` calls.
    const jobLines: string[] = [];
    const runJobs = async (jobs: { label: string; args: string[] }[]) => {
      for (const job of jobs) {
        await runTrain(job.args, {
          log: (line) => jobLines.push(line),
          stopRequested: () => false,
          signal: new AbortController().signal,
          script: 'unused',
        });
      }
      return [];
    };
    const run = await train(out, ['--compare'], join(work, 'cache'), { runJobs });
    expect(run.error).toBeUndefined();
    const summary = run.summary!;
    const { phases = [], totalSeconds = -1, peakRssMiB = 0 } = summary;
    const top = phases.filter((p) => !p.within);
    expect(top.map((p) => p.name)).toEqual([
      'dataset folder',
      'backbone',
      'features sketch',
      'features image',
      'evaluate chance',
      'evaluate backbone',
      'evaluate centred',
      'train jobs',
    ]);
    // In order, not overlapping, each non-negative, together within the total.
    for (const [i, p] of top.entries()) {
      expect(p.seconds).toBeGreaterThanOrEqual(0);
      const previous = top[i - 1];
      if (previous) expect(p.start).toBeGreaterThan(previous.start + previous.seconds - 1e-9);
    }
    const sum = top.reduce((s, p) => s + p.seconds, 0);
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThanOrEqual(totalSeconds);
    expect(totalSeconds).toBeLessThanOrEqual(run.seconds);
    expect(peakRssMiB).toBeGreaterThan(50);
    // Each job's own phases, inside `train jobs`, with the job's peak memory.
    const jobs = top.at(-1)!;
    const inside = phases.filter((p) => p.within === 'train jobs');
    for (const method of ['wad-cmsn', 'no-critic', 'no-identity']) {
      const mine = inside.filter((p) => p.name.startsWith(`${method}: `));
      expect(mine.map((p) => p.name.slice(method.length + 2))).toEqual([
        'dataset folder',
        'backbone',
        'features sketch',
        'features image',
        'train',
        'evaluate',
      ]);
      for (const p of mine) {
        expect(p.seconds).toBeGreaterThanOrEqual(0);
        expect(p.start).toBeGreaterThanOrEqual(jobs.start - 0.01);
        expect(p.start + p.seconds).toBeLessThanOrEqual(jobs.start + jobs.seconds + 0.01);
        expect(p.peakRssMiB).toBeGreaterThan(50);
      }
    }
    // summary.json holds the same timing; the table follows the results.
    const saved = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as typeof summary;
    expect(saved.phases).toEqual(phases);
    expect(saved.totalSeconds).toBe(totalSeconds);
    const table = run.lines.at(-1)!;
    expect(table).toMatch(/^\nwhere the time went:\n\| phase \| time \| share \| memory \|/);
    expect(table).toMatch(
      /\n\| train jobs \| [\d.]+s \| \d+% \| {2}\|\n\| {3}wad-cmsn: dataset folder \|/,
    );
    expect(table).toMatch(
      new RegExp(`\\n\\| total \\| [\\d.]+s \\| 100% \\| peak ${peakRssMiB} MiB \\|$`),
    );
  }, 120_000);
});
