import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
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
      2,
      (line) => lines.push(line),
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
      1,
      (line) => {
        lines.push(line);
        controller.abort();
      },
      controller.signal,
    );
    expect(failed).toEqual(['b']);
    expect(lines).toEqual(['[a] start', '[a] end']);
  });
});
