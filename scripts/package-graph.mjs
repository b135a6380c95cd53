// The package graph that docs/architecture.md documents, checked against the package.json files
// of packages/* and apps/* (scripts/package-graph.test.mjs runs the check in `npm test`).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SCOPE = '@zs-sbir/';
const NOT_BUILT = '(not yet built)';

/**
 * @typedef {{ name: string, note: string | null }} TableDep a dependency in a table cell, with the
 *   parenthesised note after it (e.g. `moving to @zs-sbir/experiment`), if any
 * @typedef {{ name: string, deps: TableDep[], notBuilt: boolean }} PackageRow
 * @typedef {{ dir: string, deps: TableDep[] }} AppRow
 * @typedef {{ packages: PackageRow[], apps: AppRow[] }} GraphTable
 * @typedef {{ dir: string, name: string, kind: 'package' | 'app', deps: string[], devDeps: string[] }} Workspace
 */

/** `core` or `@zs-sbir/core` -> `@zs-sbir/core`. */
function fullName(name) {
  return name.startsWith(SCOPE) ? name : `${SCOPE}${name}`;
}

/** The body rows of the markdown table whose header row is `header`, as arrays of cells. */
function tableRows(markdown, header, file) {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === header);
  if (start < 0) throw new Error(`${file}: no table with the header row "${header}"`);
  const rows = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.trim().startsWith('|')) break;
    rows.push(
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** `core`, `eval` (moving to `@zs-sbir/experiment`), ... or `none` -> dependencies with notes. */
function parseDeps(cell, where) {
  if (cell === '' || cell === 'none') return [];
  const deps = [];
  // Split on commas outside parentheses.
  for (const item of cell.split(/,(?![^(]*\))/)) {
    const match = /^`([^`]+)`\s*(?:\((.+)\))?$/.exec(item.trim());
    if (!match) {
      throw new Error(
        `${where}: cannot read "${item.trim()}" (expected \`name\` or \`name\` (note))`,
      );
    }
    deps.push({ name: fullName(match[1]), note: match[2] ? match[2].replaceAll('`', '') : null });
  }
  return deps;
}

/**
 * Reads the package table (`| package | owns | depends on |`, one row a package in flow order,
 * `(not yet built)` after the name of a package still to come) and the app table (`| app | bin |
 * depends on |`) of docs/architecture.md.
 *
 * @param {string} markdown the file's text
 * @param {string} file its path, for error messages
 * @returns {GraphTable}
 */
export function parseGraphTable(markdown, file = 'docs/architecture.md') {
  const packages = tableRows(markdown, '| package | owns | depends on |', file).map((cells) => {
    const first = cells[0];
    const match = /^`([^`]+)`/.exec(first);
    if (!match) throw new Error(`${file}: package row "${first}" does not start with \`name\``);
    return {
      name: fullName(match[1]),
      deps: parseDeps(cells.at(-1), `${file}, row ${match[1]}`),
      notBuilt: first.includes(NOT_BUILT),
    };
  });
  const apps = tableRows(markdown, '| app | bin | depends on |', file).map((cells) => {
    const match = /^`([^`]+)`$/.exec(cells[0]);
    if (!match) throw new Error(`${file}: app row "${cells[0]}" is not \`apps/name\``);
    return { dir: match[1], deps: parseDeps(cells.at(-1), `${file}, row ${match[1]}`) };
  });
  return { packages, apps };
}

/** The `@zs-sbir/*` names among a package.json's dependency fields. */
function scoped(pkg, fields) {
  return [
    ...new Set(fields.flatMap((f) => Object.keys(pkg[f] ?? {}).filter((n) => n.startsWith(SCOPE)))),
  ].sort();
}

/**
 * Every workspace under `root`'s packages/* and apps/*, with its `@zs-sbir/*` runtime
 * dependencies (`dependencies`, `peerDependencies`, `optionalDependencies`) and dev ones.
 *
 * @param {string} root the repository root
 * @returns {Workspace[]}
 */
export function readWorkspaces(root) {
  const out = [];
  for (const [folder, kind] of [
    ['packages', 'package'],
    ['apps', 'app'],
  ]) {
    for (const dir of readdirSync(join(root, folder)).sort()) {
      const file = join(root, folder, dir, 'package.json');
      if (!existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      out.push({
        dir: `${folder}/${dir}`,
        name: pkg.name,
        kind,
        deps: scoped(pkg, ['dependencies', 'peerDependencies', 'optionalDependencies']),
        devDeps: scoped(pkg, ['devDependencies']),
      });
    }
  }
  return out;
}

/**
 * Compares the table with the workspaces: every workspace has a row, each row lists exactly the
 * workspace's `@zs-sbir/*` runtime dependencies, a package depends (dev dependencies included)
 * only on packages in earlier rows, and an app on packages only, but for an edge the table marks
 * with a note (a move in progress).
 *
 * @param {GraphTable} table
 * @param {Workspace[]} workspaces
 * @returns {string[]} one sentence a problem; empty when the two agree
 */
export function checkGraph(table, workspaces) {
  const problems = [];
  const byName = new Map(workspaces.map((w) => [w.name, w]));
  const rank = new Map(table.packages.map((row, i) => [row.name, i]));
  const appNames = new Set(workspaces.filter((w) => w.kind === 'app').map((w) => w.name));

  const compare = (label, listed, actual) => {
    const inTable = new Set(listed.map((d) => d.name));
    for (const dep of actual) {
      if (!inTable.has(dep)) {
        problems.push(`${label}: package.json depends on ${dep}, the table does not list it`);
      }
    }
    for (const dep of inTable) {
      if (!actual.includes(dep)) {
        problems.push(`${label}: the table lists ${dep}, package.json does not depend on it`);
      }
    }
  };

  for (const row of table.packages) {
    const ws = byName.get(row.name);
    if (row.notBuilt) {
      if (ws) problems.push(`${row.name} exists in ${ws.dir}: fill in its row, not "${NOT_BUILT}"`);
      continue;
    }
    if (ws?.kind !== 'package') {
      problems.push(`${row.name} has a row but no folder in packages/ (mark it "${NOT_BUILT}")`);
    }
  }
  for (const ws of workspaces) {
    if (ws.kind === 'package') {
      const row = table.packages.find((r) => r.name === ws.name && !r.notBuilt);
      if (!row) {
        // A row marked "(not yet built)" has been reported above.
        if (!rank.has(ws.name)) {
          problems.push(`${ws.name} (${ws.dir}) has no row in the package table`);
        }
        continue;
      }
      compare(ws.name, row.deps, ws.deps);
      const own = rank.get(ws.name);
      for (const [dep, how] of [
        ...ws.deps.map((d) => [d, 'depends on']),
        ...ws.devDeps.map((d) => [d, 'has a devDependency on']),
      ]) {
        const at = rank.get(dep);
        if (at === undefined || at >= own) {
          problems.push(
            `${ws.name} ${how} ${dep}, which is not above it in the package table (a backward edge)`,
          );
        }
      }
    } else {
      const row = table.apps.find((r) => r.dir === ws.dir);
      if (!row) {
        problems.push(`${ws.dir} (${ws.name}) has no row in the app table`);
        continue;
      }
      compare(ws.dir, row.deps, ws.deps);
      for (const dep of row.deps) {
        if (appNames.has(dep.name) && !dep.note) {
          problems.push(`${ws.dir} depends on the app ${dep.name}: apps depend on packages only`);
        }
      }
    }
  }
  for (const row of table.apps) {
    if (!workspaces.some((w) => w.kind === 'app' && w.dir === row.dir)) {
      problems.push(`${row.dir} has a row in the app table but no package.json`);
    }
  }
  return problems;
}
