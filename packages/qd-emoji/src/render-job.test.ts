import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesignJob } from './build-plan.js';
import { QD_EMOJI_CLASSES } from './class-list.js';
import { DESIGN_SETS } from './design-sets.js';
import { DesignSource } from './design-source.js';
import { renderJob } from './render-job.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qd-job-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('renderJob', () => {
  it('reports every file of a design it cannot render as skipped, naming the icon', async () => {
    const job: DesignJob = {
      kind: 'design',
      cls: QD_EMOJI_CLASSES[0]!,
      set: DESIGN_SETS.find((s) => s.id === 'twemoji')!,
      icon: 'no-such-icon',
      gallery: join(dir, 'g.png'),
      views: [{ file: join(dir, 'v0.png'), index: 0 }],
    };
    const result = await renderJob(job, { source: new DesignSource(), size: 32, viewSeed: 0 });
    expect(result.written).toBe(0);
    expect(result.skipped.map((s) => s.path)).toEqual([job.gallery, job.views[0]!.file]);
    expect(result.skipped[0]!.reason).toMatch(/twemoji.*no-such-icon/);
  });
});
