// Writes a committed data file as JSON, then lets Biome format it so `biome check` stays clean.
import { spawnSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';

/** Writes `value` to `path` atomically and formats it with the repository's Biome settings. */
export function writeJson(path, value) {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, path);
  const res = spawnSync('npx', ['biome', 'format', '--write', path], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`biome format ${path} failed: ${res.stderr}`);
}
