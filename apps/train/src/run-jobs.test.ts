import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ProgressEvent } from '@zs-sbir/experiment';
import { beforeAll, describe, expect, it } from 'vitest';
import { isJobProgress, parentProgress } from './job-progress.js';
import { runJobs } from './run-jobs.js';

// A job that says when it starts and ends, sleeps 300 ms between, and exits with its argument.
let script: string;
beforeAll(async () => {
  script = join(await mkdtemp(join(tmpdir(), 'zs-sbir-jobs-')), 'job.mjs');
  await writeFile(
    script,
    "console.log('start'); setTimeout(() => { console.error('end'); process.exit(Number(process.argv[2])); }, 300);\n",
  );
});

describe('runJobs', () => {
  it('runs at most `concurrency` jobs at once, labels their lines, and names the failed ones', async () => {
    const lines: string[] = [];
    const failed = await runJobs(
      script,
      [
        { label: 'a', args: ['0'] },
        { label: 'b', args: ['3'] },
        { label: 'c', args: ['0'] },
      ],
      { concurrency: 2, log: (line) => lines.push(line) },
    );
    expect(failed).toEqual(['b']);
    expect([...lines].sort()).toEqual(
      ['[a] start', '[a] end', '[b] start', '[b] end', '[c] start', '[c] end'].sort(),
    );
    // c starts only after a or b ended.
    const c = lines.indexOf('[c] start');
    expect(lines.slice(0, c).some((l) => l.endsWith('] end'))).toBe(true);
    expect(lines.slice(0, 2).sort()).toEqual(['[a] start', '[b] start']);
  });

  it('starts no job once the signal is aborted, and counts those as failed', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const failed = await runJobs(
      script,
      [
        { label: 'a', args: ['0'] },
        { label: 'b', args: ['0'] },
      ],
      {
        concurrency: 1,
        log: (line) => {
          lines.push(line);
          controller.abort();
        },
        signal: controller.signal,
      },
    );
    expect(failed).toEqual(['b']);
    expect(lines).toEqual(['[a] start', '[a] end']);
  });

  it("draws a job's progress events (sent over IPC) as its own tasks, and ignores other messages", async () => {
    const reporter = join(dirname(script), 'reporter.mjs');
    await writeFile(
      reporter,
      `process.send({ type: 'other', event: { task: 'x' } });
process.send({ type: 'zs-sbir/progress', event: { task: 'train', done: 1, total: 2, status: 'epoch 1' } });
process.send({ type: 'zs-sbir/progress', event: { task: 'train', done: 2, total: 2 } });
console.log('sent');
`,
    );
    const events: ProgressEvent[] = [];
    const lines: string[] = [];
    const failed = await runJobs(reporter, [{ label: 'wad-cmsn', args: [] }], {
      concurrency: 1,
      log: (l) => lines.push(l),
      onProgress: (e) => events.push(e),
    });
    expect(failed).toEqual([]);
    expect(lines).toEqual(['[wad-cmsn] sent']);
    expect(events).toEqual([
      { task: '[wad-cmsn] train', done: 1, total: 2, status: 'epoch 1' },
      { task: '[wad-cmsn] train', done: 2, total: 2 },
    ]);
  });
});

describe('parentProgress', () => {
  it('sends each event as a message runJobs recognises, only where there is an IPC channel', () => {
    expect(parentProgress({})).toBeNull();
    const sent: unknown[] = [];
    let unref = 0;
    const job = {
      send: (message: unknown) => sent.push(message) > 0,
      channel: { unref: () => unref++ },
    };
    parentProgress(job)!({ task: 'features sketch', done: 3, total: 9 });
    // The channel must not keep a finished job alive.
    expect(unref).toBe(1);
    expect(sent).toEqual([
      { type: 'zs-sbir/progress', event: { task: 'features sketch', done: 3, total: 9 } },
    ]);
    expect(isJobProgress(sent[0])).toBe(true);
    expect(isJobProgress({ type: 'zs-sbir/progress', event: { task: 'x' } })).toBe(false);
  });
});
