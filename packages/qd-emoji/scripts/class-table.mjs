// Rewrites the per-class table of README.md (between the class-table markers) from
// data/classes.json and data/split-default.json.
//
//   node scripts/class-table.mjs
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFormatted } from './write-json.mjs';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (file) => JSON.parse(readFileSync(join(here, file), 'utf8'));
const classes = read('data/classes.json');
const sets = read('data/design-sets.json').map((s) => s.id);
const split = read('data/split-default.json');
const role = (name) =>
  split.unseen.includes(name) ? 'unseen' : split.validation.includes(name) ? 'validation' : 'seen';

const rows = classes.map((c) => {
  const missing = sets.filter((s) => !(s in c.designs));
  return `| ${c.name} | ${c.quickdraw} | ${c.cldr} (U+${c.codepoint.toUpperCase().replace(/-/g, ' U+')}) | 100 | ${Object.keys(c.designs).length} | ${missing.join(', ') || '-'} | ${role(c.name)} |`;
});
const designs = classes.reduce((n, c) => n + Object.keys(c.designs).length, 0);
const table = [
  '| class | Quick, Draw! category | emoji (CLDR name, code points) | sketches | designs | sets without it | default split |',
  '|---|---|---|---|---|---|---|',
  ...rows,
  `| **${classes.length} classes** | | | **${100 * classes.length}** | **${designs}** | | |`,
].join('\n');

const readme = join(here, 'README.md');
const text = readFileSync(readme, 'utf8');
const start = '<!-- class-table:start -->';
const end = '<!-- class-table:end -->';
const [before, rest] = text.split(start);
if (rest === undefined || !rest.includes(end))
  throw new Error(`README.md lacks ${start} ... ${end}`);
const after = rest.slice(rest.indexOf(end));
writeFormatted(readme, `${before}${start}\n${table}\n${after}`);
console.log(`wrote ${classes.length} rows`);
