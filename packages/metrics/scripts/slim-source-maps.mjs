// Keeps an install of metrics (with @zs-sbir/io, its one dependency) under 1 MB. esbuild embeds
// the text of every source file in each source map, and the ESM, CJS and worker builds each
// carry one: metrics' own sources would be in the package two or three times over. The package
// ships `src/` (without tests and fixtures) once instead, so this drops the embedded text of those
// files (the maps point at them, `../src/*.ts`), and of bundled node_modules files (valibot: about
// 200 KB a map; their mappings stay). Text from other workspace packages bundled in (`core`'s
// option schemas) stays embedded, since those files are not shipped.
import { readdir, readFile, writeFile } from 'node:fs/promises';

const dist = new URL('../dist/', import.meta.url);
for (const name of await readdir(dist)) {
  if (!name.endsWith('.map')) continue;
  const file = new URL(name, dist);
  const map = JSON.parse(await readFile(file, 'utf8'));
  map.sourcesContent = map.sourcesContent?.map((text, i) => {
    const source = map.sources[i];
    return source.startsWith('../src/') || source.includes('node_modules/') ? null : text;
  });
  await writeFile(file, JSON.stringify(map));
}
