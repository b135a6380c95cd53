// Worker threads run plain Node, not vitest's TypeScript transform: tests build the worker entry
// from source into a scratch folder inside the package (so it resolves @zs-sbir/* like dist does).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'tsup';

/** Builds src/backbone-worker.ts; returns its URL and a cleanup function. */
export async function buildTestWorker(): Promise<{ url: URL; remove: () => Promise<void> }> {
  const src = import.meta.dirname;
  const outDir = join(src, '..', '.cache', `worker-test-${process.pid}-${Date.now()}`);
  await build({
    entry: { 'backbone-worker': join(src, 'backbone-worker.ts') },
    format: ['esm'],
    outDir,
    outExtension: () => ({ js: '.mjs' }),
    target: 'node20',
    config: false,
    silent: true,
  });
  return {
    url: pathToFileURL(join(outDir, 'backbone-worker.mjs')),
    remove: () => rm(outDir, { recursive: true, force: true }),
  };
}
