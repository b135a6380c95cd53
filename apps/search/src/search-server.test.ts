import { readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSearch } from './search-command.js';
import { closeServer, createSearchServer, imageUrl, listen } from './search-server.js';
import {
  postSearch,
  type ServedIndex,
  servedIndex,
  sketchFile,
  sketchPng,
} from './serve.testkit.js';

let served: ServedIndex;
const MAX_BODY = 64 * 1024;

beforeAll(async () => {
  served = await servedIndex('server', { maxBodyBytes: MAX_BODY, maxSide: 600 });
}, 60_000);

/** `zs-sbir-search query --json` for a sketch file, parsed. */
async function cliQuery(file: string, k: number) {
  const printed: string[] = [];
  await runSearch(['query', '--index', served.dir, '--sketch', file, '--k', String(k), '--json'], {
    log: () => {},
    print: (t) => printed.push(t),
  });
  return JSON.parse(printed[0]!) as { path: string; score: number }[];
}

/** A GET with the path sent as it is (fetch would normalise `..`). */
function rawGet(url: string, path: string): Promise<{ status: number; body: Buffer }> {
  const { hostname, port } = new URL(url);
  return new Promise((done, fail) => {
    const req = request({ host: hostname, port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

/** A POST whose body is sent in chunks without a Content-Length. */
function chunkedPost(url: string, chunks: Buffer[]): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((done, fail) => {
    const req = request({ host: hostname, port, path: '/api/search', method: 'POST' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

describe('zs-sbir-search serve: the HTTP API', () => {
  it('answers POST /api/search with the same paths and scores as query --json', async () => {
    for (const seed of [1, 2]) {
      const file = await sketchFile(served.work, seed);
      const { status, json } = await postSearch(served.url, await readFile(file), '?k=10');
      expect(status).toBe(200);
      const cli = await cliQuery(file, 10);
      expect(json.results!.map((r) => r.path)).toEqual(cli.map((r) => r.path));
      expect(json.results!.map((r) => Number(r.score.toFixed(6)))).toEqual(cli.map((r) => r.score));
      expect(json.results!.map((r) => r.url)).toEqual(cli.map((r) => imageUrl(r.path)));
    }
    const { json } = await postSearch(served.url, await sketchPng(3));
    expect(json.results).toHaveLength(10);
    expect((await postSearch(served.url, await sketchPng(3), '?k=3')).json.results).toEqual(
      json.results!.slice(0, 3),
    );
  });

  it('serves the indexed photos at their url, and nothing else', async () => {
    const { json } = await postSearch(served.url, await sketchPng(4), '?k=30');
    for (const r of json.results!) {
      const response = await fetch(new URL(r.url, served.url));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await response.arrayBuffer())).toEqual(
        await readFile(join(served.images, r.path)),
      );
    }
    // A file in the photo folder that is not a row of the index, and the run outside it.
    await writeFile(join(served.images, 'cats', 'added-later.png'), await sketchPng(5));
    for (const path of [
      '/images/cats/added-later.png',
      '/images/../run/run.json',
      '/images/..%2frun%2frun.json',
      '/images/%2e%2e/%2e%2e/index/index.json',
      '/images/cats/../../run/run.json',
      `/images/${encodeURIComponent(join(served.images, 'cats', '00.png'))}`,
      '/images//etc/passwd',
      '/images/',
      '/../../../../etc/passwd',
    ]) {
      const { status, body } = await rawGet(served.url, path);
      expect([path, status]).toEqual([path, 404]);
      expect(body.toString()).not.toContain('zs-sbir');
    }
    expect((await rawGet(served.url, '/images/cats/%E0%A4%A.png')).status).toBe(400);
    expect((await rawGet(served.url, '/')).body.toString()).toContain('<canvas id="sketch"');
    expect((await rawGet(served.url, '/search-page.js')).status).toBe(200);
    expect((await rawGet(served.url, '/package.json')).status).toBe(404);
  });

  it('refuses bad requests with a status and a message, and keeps serving', async () => {
    const png = await sketchPng(6);
    const cases: [string, Promise<{ status: number; json: { error?: string } }>, number, string][] =
      [
        [
          'empty body',
          postSearch(served.url, new Uint8Array(0)),
          400,
          'empty body: expected a PNG image',
        ],
        [
          'text',
          postSearch(served.url, 'hello'),
          400,
          'the body is not a PNG image (no PNG signature)',
        ],
        [
          'JPEG',
          sharp(png)
            .jpeg()
            .toBuffer()
            .then((jpeg) => postSearch(served.url, jpeg)),
          400,
          'the body is not a PNG image (no PNG signature)',
        ],
        [
          'cut after the signature',
          postSearch(served.url, png.subarray(0, 12)),
          400,
          'malformed PNG: no IHDR header after the signature',
        ],
        [
          'corrupt data',
          postSearch(served.url, Buffer.concat([png.subarray(0, 40), Buffer.alloc(200, 7)])),
          400,
          'cannot decode the image bytes',
        ],
        [
          'too wide',
          sharp({ create: { width: 601, height: 10, channels: 3, background: '#fff' } })
            .png()
            .toBuffer()
            .then((big) => postSearch(served.url, big)),
          400,
          'the PNG is 601x10 pixels: at most 600x600 is accepted',
        ],
        [
          'too large',
          postSearch(served.url, Buffer.concat([png, Buffer.alloc(MAX_BODY)])),
          413,
          'request body too large: at most 65536 bytes (a PNG image)',
        ],
        ['k=0', postSearch(served.url, png, '?k=0'), 400, 'k=0: expected an integer from 1 to 100'],
        [
          'k=ten',
          postSearch(served.url, png, '?k=ten'),
          400,
          'k=ten: expected an integer from 1 to 100',
        ],
        [
          'k=101',
          postSearch(served.url, png, '?k=101'),
          400,
          'k=101: expected an integer from 1 to 100',
        ],
        [
          'nprobes=0',
          postSearch(served.url, png, '?nprobes=0'),
          400,
          'nprobes=0: expected a positive integer',
        ],
        [
          'ef=many',
          postSearch(served.url, png, '?ef=many'),
          400,
          'ef=many: expected a positive integer',
        ],
        [
          'GET',
          fetch(new URL('/api/search', served.url)).then(async (r) => ({
            status: r.status,
            json: (await r.json()) as { error?: string },
          })),
          405,
          'GET /api/search: expected POST',
        ],
      ];
    // Good queries in flight at the same time as every bad one.
    const good = Array.from({ length: 6 }, () => postSearch(served.url, png));
    for (const [name, answer, status, message] of cases) {
      const { status: got, json } = await answer;
      expect([name, got]).toEqual([name, status]);
      expect(json.error).toContain(message);
    }
    const answers = await Promise.all(good);
    for (const a of answers) expect(a).toEqual(answers[0]);
    expect(answers[0]!.status).toBe(200);

    // A body over the limit sent in chunks (no Content-Length) is cut off at the limit.
    const chunked = await chunkedPost(served.url, [
      png,
      Buffer.alloc(MAX_BODY / 2),
      Buffer.alloc(MAX_BODY / 2),
    ]);
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).error).toContain('request body too large');
    // Garbage instead of HTTP gets a 400 and a closed connection.
    const garbage = await new Promise<string>((done) => {
      const { port } = new URL(served.url);
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write('\x00\x01 not http\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (d) => {
        text += d.toString();
      });
      socket.on('close', () => done(text));
    });
    expect(garbage).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect((await postSearch(served.url, png)).json).toEqual(answers[0]!.json);
  });
});

describe('zs-sbir-search serve: an unexpected error', () => {
  it('answers that request 500, reports it, and serves the next', async () => {
    const reported: unknown[] = [];
    let calls = 0;
    const failing = {
      ...served.index,
      search: (...args: Parameters<typeof served.index.search>) => {
        calls++;
        if (calls === 1) return Promise.reject(new Error('the model went away'));
        return served.index.search(...args);
      },
    };
    const server = await createSearchServer({ index: failing, onError: (e) => reported.push(e) });
    const url = await listen(server, 0, '127.0.0.1');
    try {
      const png = await sketchPng(7);
      expect(await postSearch(url, png)).toEqual({
        status: 500,
        json: { error: 'internal error: the model went away' },
      });
      expect(reported.map((e) => (e as Error).message)).toEqual(['the model went away']);
      const next = await postSearch(url, png);
      expect(next.status).toBe(200);
      expect(next.json).toEqual((await postSearch(served.url, png)).json);
    } finally {
      await closeServer(server);
    }
  });
});

describe('zs-sbir-search serve: the command', () => {
  it('binds 127.0.0.1 by default, --port 0 picks a free port and prints the URL, and stops on abort', async () => {
    const controller = new AbortController();
    const printed: string[] = [];
    const lines: string[] = [];
    const running = runSearch(['serve', '--index', served.dir, '--port', '0'], {
      log: (l) => lines.push(l),
      print: (t) => printed.push(t),
      signal: controller.signal,
    });
    await expect.poll(() => printed.length, { timeout: 10_000 }).toBe(1);
    const url = printed[0]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(new URL(url).port).not.toBe('8080');
    expect(lines.at(-1)).toBe(`serving 30 photos of ${served.dir}; open ${url} (Ctrl-C stops)`);
    const info = await (await fetch(new URL('/api/info', url))).json();
    expect(info).toEqual({ count: 30, dim: 8, backbone: 'small-cnn' });
    controller.abort();
    expect(await running).toBe(url);
    await expect(fetch(url)).rejects.toThrow();
  });

  it('names --port when the port is taken, and checks --port', async () => {
    const { port } = new URL(served.url);
    const err = await runSearch(['serve', '--index', served.dir, '--port', port], {
      log: () => {},
      print: () => {},
    }).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      `--host 127.0.0.1 --port ${port}: cannot listen (EADDRINUSE); choose another --port, or --port 0 for any free one`,
    );
    const bad = await runSearch(['serve', '--index', served.dir, '--port', '70000'], {
      log: () => {},
      print: () => {},
    }).catch((e: Error) => e);
    expect((bad as Error).message).toContain("option '--port <N>' argument '70000' is invalid");
  });
});

describe('zs-sbir-search serve: per-search ANN settings', () => {
  it('ignores nprobes and ef on an exact index, and answers 400 for ones an ANN index cannot take', async () => {
    const png = await sketchPng(7);
    const plain = await postSearch(served.url, png);
    const ignored = await postSearch(served.url, png, '?nprobes=3&ef=60');
    expect(ignored.status).toBe(200);
    expect(ignored.json.results).toEqual(plain.json.results);
    const ann = await servedIndex('server-ann', {}, { ann: true });
    expect(ann.index.info.ann).toMatchObject({
      type: 'IVF_HNSW_SQ',
      partitions: 1,
      refineFactor: 5,
    });
    const tuned = await postSearch(ann.url, png, '?k=5&nprobes=1&ef=25');
    expect(tuned.status).toBe(200);
    expect(tuned.json.results).toHaveLength(5);
    for (const [query, message] of [
      ['?nprobes=2', 'nprobes=2: the index has 1 partition (IVF_HNSW_SQ)'],
      ['?k=10&ef=49', 'ef=49: expected at least k x refineFactor = 50 (the candidates re-ranked)'],
    ]) {
      const { status, json } = await postSearch(ann.url, png, query);
      expect([query, status, json.error]).toEqual([query, 400, message]);
    }
  }, 60_000);
});
