import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { formatBackendReport, initBackend } from '@zs-sbir/core';
import { type OnProgress, retrievalGridPng } from '@zs-sbir/experiment';
import { atomicWriteFile } from '@zs-sbir/io';
import { loadQdEmoji } from '@zs-sbir/qd-emoji';
import { buildIndex, openIndex, SearchError, type SearchResult } from '@zs-sbir/search';
import { DEMO_RUN, planDemo } from './demo-plan.js';
import {
  type DemoCommandOptions,
  type IndexCommandOptions,
  parseSearchArgs,
  type QueryCommandOptions,
  type ServeCommandOptions,
  withFlag,
} from './search-program.js';
import { closeServer, createSearchServer, listen } from './search-server.js';
import { searchSketch } from './sketch-search.js';

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
  const sketch = await readFile(o.sketch).catch(() => {
    throw new SearchError('query', `${o.sketch}: no such file (expected a sketch image)`);
  });
  if (o.out && !o.overwrite && (await stat(o.out).catch(() => null))) {
    throw new SearchError(
      'out',
      `${o.out}: already exists; --overwrite replaces it, or choose another file`,
    );
  }
  const index = await openIndex(o.index);
  try {
    io.log(formatBackendReport(await initBackend()));
    const results = await searchSketch(index, sketch, {
      k: o.k,
      ...(o.nprobes ? { nprobes: o.nprobes } : {}),
      ...(o.ef ? { ef: o.ef } : {}),
    });
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
      await atomicWriteFile(o.out, png);
      io.log(`wrote ${o.out}`);
    }
    return results;
  } finally {
    await index.close();
  }
}

/**
 * Serves the page and API over an index until `io.signal` aborts; prints the URL (stdout) once
 * listening.
 */
async function runServeCommand(o: ServeCommandOptions, io: SearchCommandIo) {
  const index = await openIndex(o.index);
  try {
    io.log(formatBackendReport(await initBackend()));
    const server = await createSearchServer({
      index,
      onError: (err) => io.log(`request failed: ${(err as Error).stack ?? String(err)}`),
    });
    const url = await listen(server, o.port, o.host).catch((err: NodeJS.ErrnoException) => {
      throw new SearchError(
        undefined,
        `--host ${o.host} --port ${o.port}: cannot listen (${err.code ?? err.message})${err.code === 'EADDRINUSE' ? '; choose another --port, or --port 0 for any free one' : ''}`,
      );
    });
    io.log(`serving ${index.info.count} photos of ${o.index}; open ${url} (Ctrl-C stops)`);
    io.print(url);
    await new Promise<void>((done) => {
      if (!io.signal || io.signal.aborted) return done();
      io.signal.addEventListener('abort', () => done(), { once: true });
    });
    await closeServer(server);
    return url;
  } finally {
    await index.close();
  }
}

/** Runs `npm start` in the repository `root` (the QD-Emoji comparison, training {@link DEMO_RUN}). */
async function trainWithNpmStart(root: string): Promise<void> {
  const pkg = await readFile(join(root, 'package.json'), 'utf8').then(
    (text) => JSON.parse(text) as { name?: string },
    () => ({}) as { name?: string },
  );
  if (pkg.name !== 'zs-sbir') {
    throw new SearchError(
      undefined,
      `${root} is not the zs-sbir repository root; npm run demo trains its run with npm start there`,
    );
  }
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn('npm', ['start'], { cwd: root, stdio: 'inherit' });
    child.on('error', fail);
    child.on('exit', (exit) => done(exit));
  });
  if (code !== 0) {
    throw new SearchError(
      'run',
      `npm start stopped (exit ${code}) before ${DEMO_RUN} was trained; run it again to continue`,
    );
  }
}

/**
 * `npm run demo` (from the repository root, `process.cwd()`): trains the QD-Emoji run with
 * `npm start` if missing, indexes the QD-Emoji gallery with it if not yet, then serves.
 */
async function runDemoCommand(o: DemoCommandOptions, io: SearchCommandIo) {
  const root = process.cwd();
  let plan = await planDemo(root);
  if (plan.train) {
    io.log(`${plan.train}: training it first with npm start (about 7 minutes on 2 cores)`);
    await trainWithNpmStart(root);
    plan = await planDemo(root);
    if (plan.train) throw new SearchError('run', `npm start finished, yet ${plan.train}`);
  }
  const index = plan.index;
  if (!index) throw new SearchError('run', `${DEMO_RUN} has no trained run to index`);
  if (plan.build) {
    io.log(`${plan.build}: indexing the QD-Emoji gallery with ${DEMO_RUN}`);
    const qd = await loadQdEmoji({
      ...(plan.cacheDir ? { cacheDir: plan.cacheDir } : {}),
      ...(plan.renderSize ? { size: plan.renderSize } : {}),
      onProgress: (p) =>
        io.onProgress?.({
          task: 'qd-emoji',
          done: p.done,
          total: p.total,
          finished: p.done === p.total,
        }),
    });
    await runIndexCommand({ run: plan.run, images: join(qd.dir, 'images'), out: index }, io);
    if (io.signal?.aborted) return null;
  }
  return runServeCommand({ index, port: o.port, host: o.host }, io);
}

/**
 * `zs-sbir-search ARGV`: `index` builds (or continues, or updates) an index of a photo folder
 * with a trained run; `query` prints the photos nearest to a sketch; `serve` serves a drawing
 * page and `POST /api/search` until `io.signal` aborts; `demo` serves the QD-Emoji gallery
 * (training and indexing it first when needed).
 *
 * @throws SearchError naming the option (as its flag) of a bad or missing input.
 */
export async function runSearch(argv: string[], io: SearchCommandIo) {
  const parsed = parseSearchArgs(argv);
  try {
    if (parsed.command === 'index') return await runIndexCommand(parsed.options, io);
    if (parsed.command === 'query') return await runQueryCommand(parsed.options, io);
    if (parsed.command === 'serve') return await runServeCommand(parsed.options, io);
    if (parsed.command === 'demo') return await runDemoCommand(parsed.options, io);
    return null;
  } catch (err) {
    throw withFlag(err);
  }
}
