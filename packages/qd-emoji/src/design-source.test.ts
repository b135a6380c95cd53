import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { DesignSet } from './design-sets.js';
import { DesignSource } from './design-source.js';
import { QdEmojiError } from './errors.js';

let dir: string;
vi.mock('./package-paths.js', () => ({ packageDir: () => dir }));

const set: DesignSet = {
  id: 'test-set',
  kind: 'iconify',
  package: 'test-icons',
  designer: 'nobody',
  licence: 'MIT',
  attribution: '',
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qd-icons-'));
});

describe('DesignSource', () => {
  it('renders an Iconify icon into an SVG of the asked size', async () => {
    await writeFile(
      join(dir, 'icons.json'),
      JSON.stringify({ width: 32, height: 32, icons: { cat: { body: '<path d="M0 0"/>' } } }),
    );
    const input = await new DesignSource().load(set, 'cat', 64);
    expect(input.origin).toBe('test-icons#cat');
    expect(input.data.toString()).toContain('width="64" height="64" viewBox="0 0 32 32"><path');
  });

  it('names the file and the key of an icons.json that is not an Iconify set', async () => {
    const file = join(dir, 'icons.json');
    await writeFile(file, JSON.stringify({ icons: { cat: { body: '<path/>', width: '32' } } }));
    await expect(new DesignSource().load(set, 'cat', 64)).rejects.toThrow(
      new QdEmojiError(`${file}: key 'icons.cat.width' must be a number, got "32"`),
    );
    await writeFile(file, '{"icons":');
    await expect(new DesignSource().load(set, 'cat', 64)).rejects.toThrow(
      `${file}: not valid JSON`,
    );
  });
});
