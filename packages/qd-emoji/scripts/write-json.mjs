// Writes committed data files, then lets Biome format them so `biome check` stays clean.
import { spawnSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';

/** Formats `path` in place with the repository's Biome settings. */
export function formatWithBiome(path) {
  const res = spawnSync('npx', ['biome', 'format', '--write', path], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`biome format ${path} failed: ${res.stderr}`);
}

/** Writes `text` to `path` atomically (temporary file, then rename) and formats it. */
export function writeFormatted(path, text) {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
  formatWithBiome(path);
}

/** Writes `value` to `path` as JSON, atomically, formatted. */
export function writeJson(path, value) {
  writeFormatted(path, `${JSON.stringify(value, null, 2)}\n`);
}
