// The build bundles the parts of valibot it uses (metrics has no runtime dependency); esbuild's
// source maps would carry valibot's whole source file (about 200 KB per map), pushing an install
// of metrics over 1 MB. This drops the embedded text of bundled node_modules files from the maps
// (their mappings stay); metrics' own sources stay embedded.
import { readdir, readFile, writeFile } from 'node:fs/promises';

const dist = new URL('../dist/', import.meta.url);
for (const name of await readdir(dist)) {
  if (!name.endsWith('.map')) continue;
  const file = new URL(name, dist);
  const map = JSON.parse(await readFile(file, 'utf8'));
  map.sourcesContent = map.sourcesContent?.map((text, i) =>
    map.sources[i].includes('node_modules/') ? null : text,
  );
  await writeFile(file, JSON.stringify(map));
}
