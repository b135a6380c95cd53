import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atomicWriteFile } from './atomic-write-file.js';

describe('atomicWriteFile', () => {
  it('replaces an existing file and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const path = join(dir, 'report.json');
    writeFileSync(path, 'old');
    await atomicWriteFile(path, '{"new":true}');
    expect(readFileSync(path, 'utf8')).toBe('{"new":true}');
    await atomicWriteFile(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('removes its temporary file when the rename fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'taken', 'inside'), 'x');
    await expect(atomicWriteFile(join(dir, 'taken'), 'data')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});
