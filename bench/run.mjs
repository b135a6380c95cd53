// npm run bench [-- --install-peers] [suite ...]: runs bench/<suite>/run.mjs for each suite.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
if (args.includes('--install-peers')) {
  const pkgs = [
    'python3-numpy',
    'python3-sklearn',
    'python3-torch',
    'python3-torchvision',
    'python3-pil',
    'python3-faiss',
    'libopenblas0-pthread',
  ];
  console.log(`installing peers from Debian: ${pkgs.join(' ')}`);
  for (const cmd of [
    ['apt-get', ['update', '-qq']],
    ['apt-get', ['install', '-y', '-qq', ...pkgs]],
  ]) {
    const r = spawnSync(cmd[0], cmd[1], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
const all = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, 'run.mjs')))
  .map((d) => d.name);
const wanted = args.filter((a) => !a.startsWith('--'));
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(
    `unknown benchmark suite(s) ${unknown.join(', ')}: expected one of ${all.join(', ')}`,
  );
  process.exit(2);
}
let failed = 0;
for (const suite of wanted.length ? wanted : all) {
  console.log(`\n# bench/${suite}`);
  const r = spawnSync(process.execPath, [join(here, suite, 'run.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
