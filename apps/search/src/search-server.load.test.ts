import { beforeAll, expect, it } from 'vitest';
import { postSearch, type ServedIndex, servedIndex, sketchPng } from './serve.testkit.js';

let served: ServedIndex;

beforeAll(async () => {
  served = await servedIndex('load');
}, 60_000);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

it('answers 200 concurrent queries on 127.0.0.1, none failed; p95 latency printed', async () => {
  const sketches = await Promise.all(Array.from({ length: 20 }, (_, i) => sketchPng(100 + i)));
  await postSearch(served.url, sketches[0]!); // loads the model
  // One at a time first: the answers to compare with, and the latency of a lone query.
  const expected = [];
  const alone: number[] = [];
  for (const s of sketches) {
    const t0 = performance.now();
    expected.push(await postSearch(served.url, s));
    alone.push(performance.now() - t0);
  }
  alone.sort((a, b) => a - b);
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: 200 }, async (_, i) => {
      const t0 = performance.now();
      const answer = await postSearch(served.url, sketches[i % sketches.length]!);
      return { i, answer, ms: performance.now() - t0 };
    }),
  );
  const wall = performance.now() - started;
  for (const { i, answer } of answers) {
    expect(answer.status).toBe(200);
    expect(answer).toEqual(expected[i % sketches.length]);
  }
  const ms = answers.map((a) => a.ms).sort((a, b) => a - b);
  console.info(
    `load: 200 concurrent POST /api/search (256 px PNG, 30 photos, small-cnn 32 px) in ${wall.toFixed(0)} ms: p50 ${percentile(ms, 50).toFixed(0)} ms, p95 ${percentile(ms, 95).toFixed(0)} ms, max ${ms.at(-1)!.toFixed(0)} ms; one at a time: p50 ${percentile(alone, 50).toFixed(0)} ms`,
  );
}, 120_000);
