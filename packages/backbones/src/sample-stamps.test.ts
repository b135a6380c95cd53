import { mkdtemp, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleStamps } from './sample-stamps.js';

describe('sampleStamps', () => {
  it("gives each file's size and modification time, 'missing' and '' for in-memory samples", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stamps-'));
    const a = join(dir, 'a.png');
    await writeFile(a, 'four');
    await utimes(a, 1_700_000_000, 1_700_000_000.25);
    const pixels = { data: new Uint8Array(3), width: 1, height: 1, channels: 3 as const };
    const stamps = await sampleStamps([
      { path: a, label: 0 },
      { path: join(dir, 'gone.png'), label: 0 },
      { path: 'in-memory-0', label: 1, pixels },
    ]);
    expect(stamps).toEqual(['4:1700000000250', 'missing', '']);
    expect(stamps[0]).toBe(`${(await stat(a)).size}:${(await stat(a)).mtimeMs}`);
  });

  it('changes when a file is replaced in place, even with the same size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stamps-'));
    const file = join(dir, 'cat.png');
    await writeFile(file, 'old!');
    await utimes(file, 1_700_000_000, 1_700_000_000);
    const [before] = await sampleStamps([{ path: file, label: 0 }]);
    await writeFile(file, 'new!');
    await utimes(file, 1_700_000_100, 1_700_000_100);
    const [after] = await sampleStamps([{ path: file, label: 0 }]);
    expect(before).toBe('4:1700000000000');
    expect(after).toBe('4:1700000100000');
  });

  it('keeps the order of more samples than it stats at once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stamps-'));
    const samples = [];
    for (let i = 0; i < 600; i++) {
      const path = join(dir, `${i}.png`);
      await writeFile(path, 'x'.repeat(i));
      samples.push({ path, label: 0 });
    }
    const stamps = await sampleStamps(samples);
    expect(stamps.map((s) => Number(s.split(':')[0]))).toEqual(samples.map((_, i) => i));
  });
});
