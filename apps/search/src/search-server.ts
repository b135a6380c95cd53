import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SearchError, type SearchIndex, type SearchOption } from '@zs-sbir/search';
import { HttpError } from './http-error.js';
import { pngSize } from './png-size.js';
import { readBody } from './read-body.js';
import { searchSketch } from './sketch-search.js';

/** Options of {@link createSearchServer}. */
export interface SearchServerOptions {
  /** The opened index; the server does not close it. */
  index: SearchIndex;
  /** Largest request body, bytes; default 4 MiB (larger bodies get 413). */
  maxBodyBytes?: number;
  /** Largest sketch width and height, pixels; default 2048 (larger PNGs get 400). */
  maxSide?: number;
  /** Largest `?k=`; default 100. */
  maxK?: number;
  /** Unexpected errors (each answered 500; the server keeps serving). */
  onError?: (err: unknown) => void;
}

/** One result as the API answers it: `path` as `query --json` prints it, `url` serves the photo. */
export interface ApiResult {
  path: string;
  url: string;
  score: number;
}

/** The page and its script and style: the only files served besides indexed photos. */
const STATIC_DIR = fileURLToPath(new URL('../static/', import.meta.url));
const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/search-page.js': { file: 'search-page.js', type: 'text/javascript; charset=utf-8' },
  '/search-page.css': { file: 'search-page.css', type: 'text/css; charset=utf-8' },
};
const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'",
  'referrer-policy': 'no-referrer',
};

/** The URL of an indexed photo: `/images/` and the path, each segment percent-encoded. */
export function imageUrl(path: string): string {
  return `/images/${path.split('/').map(encodeURIComponent).join('/')}`;
}

function sendJson(res: ServerResponse, status: number, body: unknown, close = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(text);
}

/** An optional positive integer query parameter (`nprobes`, `ef`). */
function parseCount(name: string, value: string | null): number | undefined {
  if (value === null) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 2 ** 31 - 1) {
    throw new HttpError(400, `${name}=${value}: expected a positive integer`);
  }
  return n;
}

function parseK(value: string | null, maxK: number): number {
  if (value === null) return 10;
  const k = Number(value);
  if (!/^\d+$/.test(value) || k < 1 || k > maxK) {
    throw new HttpError(400, `k=${value}: expected an integer from 1 to ${maxK}`);
  }
  return k;
}

/** Library errors about what a request asked for: answered 400, with their message. */
const REQUEST_OPTIONS = new Set<SearchOption>(['query', 'k', 'nprobes', 'ef']);

/**
 * The search server of an opened index (not yet listening; see {@link listen}):
 *
 * - `GET /`: the drawing page (`static/index.html`, its script and style);
 * - `POST /api/search?k=10` with a PNG body: `{"results": [{"path", "url", "score"}]}`, best
 *   first, the sketch prepared exactly as `zs-sbir-search query --sketch` prepares a file;
 *   `&nprobes=N` and `&ef=N` set the ANN index's per-search settings (see `SearchOptions`);
 * - `GET /api/info`: `{"count", "dim", "backbone"}`;
 * - `GET /images/PATH`: an indexed photo; only paths that are rows of the index are served.
 *
 * Bad requests get a JSON `{"error": message}`: 413 for a body over `maxBodyBytes`, 400 for an
 * empty, non-PNG or undecodable body, a PNG wider or taller than `maxSide`, or a bad `k`,
 * `nprobes` or `ef` (one the index cannot take included); 404
 * and 405 for unknown paths and methods. Each request is handled on its own: a failure answers
 * that request only.
 */
export async function createSearchServer(options: SearchServerOptions): Promise<Server> {
  const { index } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 4 << 20;
  const maxSide = options.maxSide ?? 2048;
  const maxK = options.maxK ?? 100;
  const indexed = new Set(await index.paths());
  const root = resolve(index.info.images);

  async function search(req: IncomingMessage, res: ServerResponse, url: URL) {
    const k = parseK(url.searchParams.get('k'), maxK);
    const nprobes = parseCount('nprobes', url.searchParams.get('nprobes'));
    const ef = parseCount('ef', url.searchParams.get('ef'));
    const body = await readBody(req, maxBodyBytes);
    const { width, height } = pngSize(body);
    if (width > maxSide || height > maxSide) {
      throw new HttpError(
        400,
        `the PNG is ${width}x${height} pixels: at most ${maxSide}x${maxSide} is accepted`,
      );
    }
    const results = await searchSketch(index, body, {
      k,
      ...(nprobes ? { nprobes } : {}),
      ...(ef ? { ef } : {}),
    });
    const out: ApiResult[] = results.map((r) => ({
      path: r.path,
      url: imageUrl(r.path),
      score: r.score,
    }));
    sendJson(res, 200, { results: out });
  }

  function photo(res: ServerResponse, encoded: string) {
    let path: string;
    try {
      path = encoded.split('/').map(decodeURIComponent).join('/');
    } catch {
      throw new HttpError(400, 'malformed percent-encoding in the image path');
    }
    const file = resolve(root, path);
    if (!indexed.has(path) || !file.startsWith(root + sep)) {
      throw new HttpError(404, 'not a photo of this index');
    }
    const stream = createReadStream(file);
    stream.on('open', () => {
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': IMAGE_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'cache-control': 'private, max-age=300',
      });
      stream.pipe(res);
    });
    stream.on('error', () => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 404, { error: 'the indexed photo is no longer on disk' });
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const allow = (methods: string) => {
      if (!methods.split(', ').includes(method)) {
        res.setHeader('allow', methods);
        throw new HttpError(405, `${method} ${url.pathname}: expected ${methods}`);
      }
    };
    if (url.pathname === '/api/search') {
      allow('POST');
      return search(req, res, url);
    }
    allow('GET, HEAD');
    if (url.pathname === '/api/info') {
      return sendJson(res, 200, {
        count: index.info.count,
        dim: index.info.dim,
        backbone: index.info.run.backbone.name,
      });
    }
    if (url.pathname.startsWith('/images/')) return photo(res, url.pathname.slice(8));
    const file = STATIC[url.pathname];
    if (!file) throw new HttpError(404, `${url.pathname}: not found`);
    const body = await readFile(resolve(STATIC_DIR, file.file));
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': file.type,
      'content-length': body.length,
      'cache-control': 'no-cache',
    });
    res.end(method === 'HEAD' ? undefined : body);
  }

  const server = createServer({ requestTimeout: 60_000 }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (err instanceof HttpError) {
        // After a refused body, close the connection rather than read the rest.
        sendJson(res, err.status, { error: err.message }, err.status === 413);
      } else if (err instanceof SearchError && err.option && REQUEST_OPTIONS.has(err.option)) {
        // The body's problem as it is; a parameter's named as in the URL (`nprobes=2: ...`).
        const error = err.option === 'query' ? err.detail : `${err.option}=${err.detail}`;
        sendJson(res, 400, { error });
      } else {
        options.onError?.(err);
        sendJson(res, 500, { error: `internal error: ${(err as Error).message}` });
      }
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

/**
 * Starts `server` on `host`:`port` (`0` picks a free port).
 * @returns the page URL, e.g. `http://127.0.0.1:8080/`.
 * @throws the listen error (`EADDRINUSE`, `EACCES`, ...).
 */
export function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      const address = server.address() as AddressInfo;
      const name = address.address.includes(':') ? `[${address.address}]` : address.address;
      done(`http://${name}:${address.port}/`);
    });
  });
}

/** Stops accepting connections, ends open ones, and resolves when the server is closed. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
}
