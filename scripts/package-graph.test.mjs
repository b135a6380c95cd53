import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkGraph, parseGraphTable, readWorkspaces } from './package-graph.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

describe('docs/architecture.md package graph', () => {
  it('matches every package.json in packages/* and apps/*, with no backward edge', () => {
    const table = parseGraphTable(readFileSync(join(root, 'docs/architecture.md'), 'utf8'));
    expect(table.packages.map((r) => r.name)).toContain('@zs-sbir/io');
    expect(checkGraph(table, readWorkspaces(root))).toEqual([]);
  });
});

const doc = `
| package | owns | depends on |
|---|---|---|
| \`@zs-sbir/io\` | files | none |
| \`@zs-sbir/data\` | readers | \`io\` |
| \`@zs-sbir/metrics\` | scores | \`io\` |
| \`@zs-sbir/experiment\` (not yet built) | shared app code | |

| app | bin | depends on |
|---|---|---|
| \`apps/eval\` | \`zs-sbir-eval\` | \`metrics\` |
| \`apps/train\` | \`zs-sbir-train\` | \`eval\` (moving to \`@zs-sbir/experiment\`), \`data\` |
`;

/** The workspaces `doc` describes, with `change` applied to the one named. */
function workspaces(change = {}) {
  const list = [
    { dir: 'packages/io', name: '@zs-sbir/io', kind: 'package', deps: [], devDeps: [] },
    { dir: 'packages/data', name: '@zs-sbir/data', kind: 'package', deps: ['@zs-sbir/io'] },
    { dir: 'packages/metrics', name: '@zs-sbir/metrics', kind: 'package', deps: ['@zs-sbir/io'] },
    { dir: 'apps/eval', name: '@zs-sbir/eval', kind: 'app', deps: ['@zs-sbir/metrics'] },
    {
      dir: 'apps/train',
      name: '@zs-sbir/train',
      kind: 'app',
      deps: ['@zs-sbir/data', '@zs-sbir/eval'],
    },
  ];
  return list.map((w) => ({ devDeps: [], ...w, ...(change[w.name] ?? {}) }));
}

describe('checkGraph', () => {
  const table = parseGraphTable(doc);

  it('reads names, notes and rows still to come', () => {
    expect(table.packages.map((r) => [r.name, r.notBuilt])).toEqual([
      ['@zs-sbir/io', false],
      ['@zs-sbir/data', false],
      ['@zs-sbir/metrics', false],
      ['@zs-sbir/experiment', true],
    ]);
    expect(table.apps[1].deps).toEqual([
      { name: '@zs-sbir/eval', note: 'moving to @zs-sbir/experiment' },
      { name: '@zs-sbir/data', note: null },
    ]);
    expect(checkGraph(table, workspaces())).toEqual([]);
  });

  it('fails on a backward edge, listed in the table or not, dev dependencies included', () => {
    const data = { deps: ['@zs-sbir/io', '@zs-sbir/metrics'] };
    expect(checkGraph(table, workspaces({ '@zs-sbir/data': data }))).toEqual([
      '@zs-sbir/data: package.json depends on @zs-sbir/metrics, the table does not list it',
      '@zs-sbir/data depends on @zs-sbir/metrics, which is not above it in the package table (a backward edge)',
    ]);
    const backward = parseGraphTable(
      doc.replace('| readers | `io` |', '| readers | `io`, `metrics` |'),
    );
    expect(checkGraph(backward, workspaces({ '@zs-sbir/data': data }))).toEqual([
      '@zs-sbir/data depends on @zs-sbir/metrics, which is not above it in the package table (a backward edge)',
    ]);
    const dev = { devDeps: ['@zs-sbir/data'] };
    expect(checkGraph(table, workspaces({ '@zs-sbir/io': dev }))).toEqual([
      '@zs-sbir/io has a devDependency on @zs-sbir/data, which is not above it in the package table (a backward edge)',
    ]);
  });

  it('fails when the table lists a dependency package.json does not have', () => {
    expect(checkGraph(table, workspaces({ '@zs-sbir/metrics': { deps: [] } }))).toEqual([
      '@zs-sbir/metrics: the table lists @zs-sbir/io, package.json does not depend on it',
    ]);
  });

  it('fails on a package or app without a row, and a built package still marked to come', () => {
    const extra = [
      ...workspaces(),
      { dir: 'packages/search', name: '@zs-sbir/search', kind: 'package', deps: [], devDeps: [] },
      { dir: 'apps/demo', name: '@zs-sbir/demo', kind: 'app', deps: [], devDeps: [] },
      {
        dir: 'packages/experiment',
        name: '@zs-sbir/experiment',
        kind: 'package',
        deps: [],
        devDeps: [],
      },
    ];
    expect(checkGraph(table, extra)).toEqual([
      '@zs-sbir/experiment exists in packages/experiment: fill in its row, not "(not yet built)"',
      '@zs-sbir/search (packages/search) has no row in the package table',
      'apps/demo (@zs-sbir/demo) has no row in the app table',
    ]);
  });

  it('fails on an app that depends on another app without a note', () => {
    const plain = parseGraphTable(doc.replace(' (moving to `@zs-sbir/experiment`)', ''));
    expect(checkGraph(plain, workspaces())).toEqual([
      'apps/train depends on the app @zs-sbir/eval: apps depend on packages only',
    ]);
  });

  it('names the table that is missing', () => {
    expect(() => parseGraphTable('# nothing here', 'docs/x.md')).toThrow(
      'docs/x.md: no table with the header row "| package | owns | depends on |"',
    );
  });
});
