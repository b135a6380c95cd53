import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildDir, cacheRoot, contentVersion, RENDER_VERSION } from './cache-dir.js';

describe('cache folders', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('uses the option, else ZS_SBIR_CACHE, else ~/.cache/zs-sbir', () => {
    vi.stubEnv('ZS_SBIR_CACHE', '/tmp/from-env');
    expect(cacheRoot('/tmp/explicit')).toBe('/tmp/explicit');
    expect(cacheRoot()).toBe('/tmp/from-env');
    vi.stubEnv('ZS_SBIR_CACHE', undefined);
    expect(cacheRoot()).toBe(join(homedir(), '.cache', 'zs-sbir'));
  });

  it('puts each size and content version in its own folder', () => {
    expect(contentVersion(224)).toMatch(new RegExp(`^r${RENDER_VERSION}-[0-9a-f]{12}-224px$`));
    expect(contentVersion(224)).toBe(contentVersion(224));
    expect(contentVersion(112)).not.toBe(contentVersion(224));
    expect(buildDir(224, 'rel')).toBe(join(resolve('rel'), 'qd-emoji', contentVersion(224)));
  });
});
