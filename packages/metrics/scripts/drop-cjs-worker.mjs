// The worker thread is always started from the ESM file (dist/evaluate-worker.js), also by the
// CommonJS build (its `import.meta.url` shim points at dist/index.cjs, and the URL resolves to
// the .js file next to it), so tsup's CommonJS copy of the worker is never loaded. Dropping it
// keeps an install of metrics under 1 MB (scripts/release-check.mjs checks).
import { rm } from 'node:fs/promises';

const dist = new URL('../dist/', import.meta.url);
for (const name of ['evaluate-worker.cjs', 'evaluate-worker.cjs.map', 'evaluate-worker.d.cts']) {
  await rm(new URL(name, dist), { force: true });
}
