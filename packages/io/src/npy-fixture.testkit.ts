import { fileURLToPath } from 'node:url';

/** Absolute path of a file under `src/__fixtures__/npy/` (written by scripts/make-npy-fixtures.py). */
export function npyFixture(name: string): string {
  return fileURLToPath(new URL(`./__fixtures__/npy/${name}`, import.meta.url));
}
