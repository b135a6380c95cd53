import { mkdir, realpath, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { tempDir } from '../temp-dir.testkit.js';
import { type DatasetRoot, datasetRoot, isInside, outsideRootReason } from './inside-root.js';

describe('isInside', () => {
  it('compares whole path components, not string prefixes', () => {
    expect(isInside('/data/root', '/data/root')).toBe(true);
    expect(isInside('/data/root', '/data/root/a/b.png')).toBe(true);
    expect(isInside('/data/root', '/data/root/..hidden/b.png')).toBe(true);
    expect(isInside('/data/root', '/data/root2/b.png')).toBe(false);
    expect(isInside('/data/root', '/data')).toBe(false);
    expect(isInside('/data/root', '/etc/passwd')).toBe(false);
  });
});

describe('outsideRootReason', () => {
  let base: string;
  let root: DatasetRoot;

  beforeAll(async () => {
    base = await realpath(await tempDir('inside'));
    await mkdir(join(base, 'root/a'), { recursive: true });
    await mkdir(join(base, 'root2'), { recursive: true });
    await mkdir(join(base, 'outside'), { recursive: true });
    await writeFile(join(base, 'root/a/in.png'), 'x');
    await writeFile(join(base, 'outside/secret.png'), 'x');
    await symlink(join(base, 'outside'), join(base, 'root/out-dir'));
    await symlink(join(base, 'outside/secret.png'), join(base, 'root/a/out.png'));
    await symlink('in.png', join(base, 'root/a/alias.png'));
    await symlink(join(base, 'root/a'), join(base, 'root/a-link'));
    root = await datasetRoot(join(base, 'root'));
  });

  it('allows paths inside the root, relative or absolute, existing or not', async () => {
    expect(await outsideRootReason(root, 'a/in.png')).toBeUndefined();
    expect(await outsideRootReason(root, join(base, 'root/a/in.png'))).toBeUndefined();
    expect(await outsideRootReason(root, 'a/./../a/in.png')).toBeUndefined();
    expect(await outsideRootReason(root, 'a/missing/deeper.png')).toBeUndefined();
  });

  it('refuses ../, absolute paths outside, a/../../b and a sibling sharing the prefix', async () => {
    const outside = `outside the dataset root ${root.path}`;
    expect(await outsideRootReason(root, '../outside/secret.png')).toBe(outside);
    expect(await outsideRootReason(root, '/etc/passwd')).toBe(outside);
    expect(await outsideRootReason(root, 'a/../../outside/secret.png')).toBe(outside);
    expect(await outsideRootReason(root, '../root2/x.png')).toBe(outside);
    expect(await outsideRootReason(root, join(base, 'root2/x.png'))).toBe(outside);
  });

  it('refuses symbolic links whose real path leaves the root, and allows those that stay', async () => {
    const link = (to: string) => `symbolic link to ${to} (outside the dataset root ${root.path})`;
    expect(await outsideRootReason(root, 'a/out.png')).toBe(link(join(base, 'outside/secret.png')));
    expect(await outsideRootReason(root, 'out-dir')).toBe(link(join(base, 'outside')));
    expect(await outsideRootReason(root, 'out-dir/secret.png')).toBe(
      link(join(base, 'outside/secret.png')),
    );
    // Missing below a linked folder: the folder's real path decides.
    expect(await outsideRootReason(root, 'out-dir/missing.png')).toBe(link(join(base, 'outside')));
    expect(await outsideRootReason(root, 'a/alias.png')).toBeUndefined();
    expect(await outsideRootReason(root, 'a-link/in.png')).toBeUndefined();
  });

  it('checks against the real path of a linked root, naming both', async () => {
    await symlink(join(base, 'root'), join(base, 'root-link'));
    const linked = await datasetRoot(join(base, 'root-link'));
    expect(linked.real).toBe(join(base, 'root'));
    expect(await outsideRootReason(linked, 'a/in.png')).toBeUndefined();
    expect(await outsideRootReason(linked, 'a/out.png')).toBe(
      `symbolic link to ${join(base, 'outside/secret.png')} (outside the dataset root ${linked.path} (${linked.real}))`,
    );
  });

  it('names a root that cannot be resolved', async () => {
    await expect(datasetRoot(join(base, 'nope'))).rejects.toThrow(DatasetError);
    await expect(datasetRoot(join(base, 'nope'))).rejects.toThrow(/nope/);
  });
});
