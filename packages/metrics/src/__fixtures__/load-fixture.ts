import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file under `src/__fixtures__/`. */
export function fixturePath(relative: string): string {
  return fileURLToPath(new URL(`./${relative}`, import.meta.url));
}

/** Parses a JSON fixture under `src/__fixtures__/`. */
export function loadJsonFixture<T>(relative: string): T {
  return JSON.parse(readFileSync(fixturePath(relative), 'utf8')) as T;
}
