import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatBackendReport, initBackend } from '@zs-sbir/core';
import { type OnProgress, retrievalGridPng } from '@zs-sbir/experiment';
import { buildIndex, openIndex, SearchError, type SearchResult } from '@zs-sbir/search';
import {
  type IndexCommandOptions,
  parseSearchArgs,
  type QueryCommandOptions,
  withFlag,
} from './search-program.js';

/** How the commands talk to the terminal: log lines (stderr), results (stdout), progress. */
export interface SearchCommandIo {
  /** Messages for the person at the terminal (the CLI writes them to stderr). */
  log: (line: string) => void;
  /** Results: the `--json` document or the result lines (the CLI writes them to stdout). */
  print: (text: string) => void;
  onProgress?: OnProgress;
  signal?: AbortSignal;
}

/** `[{"path": "cats/01.jpg", "score": 0.87}, ...]`: what `query --json` prints, best first. */
export function resultsJson(results: readonly SearchResult[]): string {
  const items = results.map(
    (r) => `{"path": ${JSON.stringify(r.path)}, "score": ${Number(r.score.toFixed(6))}}`,
  );
  return `[${items.join(', ')}]`;
}

async function runIndexCommand(o: IndexCommandOptions, io: SearchCommandIo) {
  io.log(formatBackendReport(await initBackend()));
  const result = await buildIndex({
    run: o.run,
    images: o.images,
    out: o.out,
    ...(o.batchSize ? { batchSize: o.batchSize } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    onProgress: (p) =>
      io.onProgress?.({
        task: 'index photos',
        done: p.done,
        total: p.total,
        status: `${p.embedded} embedded, ${p.reused} kept${p.skipped ? `, ${p.skipped} skipped` : ''}`,
        finished: false,
      }),
  });
  io.onProgress?.({
    task: 'index photos',
    done: result.manifest.count,
    total: result.manifest.count,
    finished: true,
  });
  const { manifest } = result;
  for (const s of result.skipped) io.log(`skipped ${s.path}: ${s.reason}`);
  io.log(
    `${o.out}: ${manifest.count} photos indexed (${result.embedded} embedded, ${result.reused} unchanged, ${result.removed} removed, ${result.skipped.length} unreadable), ${manifest.ann ? `${manifest.ann.type} index (${manifest.ann.partitions} partitions)` : 'exact search'}`,
  );
  return result;
}

async function runQueryCommand(o: QueryCommandOptions, io: SearchCommandIo) {
  await access(o.sketch).catch(() => {
    throw new SearchError('query', `${o.sketch}: no such file (expected a sketch image)`);
  });
  const index = await openIndex(o.index);
  try {
    io.log(formatBackendReport(await initBackend()));
    const results = await index.search(o.sketch, { k: o.k });
    if (o.json) io.print(resultsJson(results));
    else {
      io.print(results.map((r, i) => `${i + 1}. ${r.path}  ${r.score.toFixed(4)}`).join('\n'));
    }
    if (o.out) {
      const png = await retrievalGridPng([
        {
          query: o.sketch,
          results: results.map((r) => ({ path: join(index.info.images, r.path) })),
        },
      ]);
      await writeFile(o.out, png);
      io.log(`wrote ${o.out}`);
    }
    return results;
  } finally {
    await index.close();
  }
}

/**
 * `zs-sbir-search ARGV`: `index` builds (or continues, or updates) an index of a photo folder
 * with a trained run; `query` prints the photos nearest to a sketch.
 *
 * @throws SearchError naming the option (as its flag) of a bad or missing input.
 */
export async function runSearch(argv: string[], io: SearchCommandIo) {
  const parsed = parseSearchArgs(argv);
  try {
    if (parsed.command === 'index') return await runIndexCommand(parsed.options, io);
    if (parsed.command === 'query') return await runQueryCommand(parsed.options, io);
    return null;
  } catch (err) {
    throw withFlag(err);
  }
}
