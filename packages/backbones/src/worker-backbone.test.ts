import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { initBackend, tf } from '@zs-sbir/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackboneError } from './backbone-error.js';
import { buildTestWorker } from './build-worker.testkit.js';
import { loadBackbone } from './load-backbone.js';
import { loadWorkerBackbone } from './worker-backbone.js';

let worker: Awaited<ReturnType<typeof buildTestWorker>>;
let workerUrl: URL;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  worker = await buildTestWorker();
  workerUrl = worker.url;
}, 60_000);

afterAll(() => worker.remove());

const images = (n: number, seed: number) =>
  Float32Array.from({ length: n * 32 * 32 * 3 }, (_, i) => Math.sin(i * 0.05 + seed));

describe('loadWorkerBackbone', () => {
  it('gives the in-process results from two worker threads, batches in flight at once', async () => {
    const spec = { name: 'small-cnn', seed: 7 } as const;
    const local = await loadBackbone(spec);
    const pool = await loadWorkerBackbone(spec, { workers: 2, backend: 'cpu', workerUrl });
    expect([pool.name, pool.engine, pool.inputSize, pool.outputDim]).toEqual([
      'small-cnn',
      'tfjs',
      32,
      32,
    ]);
    expect(pool.weights).toBe('random (seed 7)');
    const batches = [0, 1, 2, 3, 4].map((seed) => images(2, seed));
    const results = await Promise.all(batches.map((b) => pool.embedData(b, 2)));
    for (let i = 0; i < batches.length; i++) {
      const want = await local.embedData(batches[i]!, 2);
      const got = results[i]!;
      expect(got.length).toBe(want.length);
      for (let j = 0; j < want.length; j++) expect(got[j]).toBeCloseTo(want[j]!, 5);
    }
    const x = tf.tensor4d(batches[0]!, [2, 32, 32, 3]);
    const y = await pool.embed(x);
    expect(y.shape).toEqual([2, 32]);
    tf.dispose([x, y]);
    await pool.dispose();
    await expect(pool.embedData(batches[0]!, 2)).rejects.toThrow(/disposed/);
    await local.dispose();
  }, 60_000);

  it("reports a worker's load failure with its reason", async () => {
    const error = await loadWorkerBackbone(
      { name: 'vgg16', weights: '/nonexistent/vgg16.safetensors' },
      { workers: 1, backend: 'cpu', workerUrl },
    ).catch((e) => e);
    expect(error).toBeInstanceOf(BackboneError);
    expect(error.message).toMatch(
      /failed to start: cannot open weight file \/nonexistent\/vgg16.safetensors/,
    );
  }, 60_000);

  it('fails the batches of a crashed thread, then every batch once all threads are gone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crashing-worker-'));
    const script = join(dir, 'crash.mjs');
    await writeFile(
      script,
      `import { parentPort } from 'node:worker_threads';
parentPort.postMessage({ type: 'ready', info: { name: 'fake', inputSize: 1, outputDim: 1, normalisation: 'unit', weights: 'none' } });
parentPort.on('message', () => { throw new Error('boom'); });
`,
    );
    const pool = await loadWorkerBackbone(
      { name: 'small-cnn' },
      { workers: 1, workerUrl: pathToFileURL(script) },
    );
    await expect(pool.embedData(new Float32Array(3), 1)).rejects.toThrow(
      /backbone worker crashed: boom/,
    );
    await expect(pool.embedData(new Float32Array(3), 1)).rejects.toThrow(
      /every backbone worker died: boom/,
    );
    await pool.dispose();
  });

  it('checks the options before starting threads', async () => {
    await expect(
      loadWorkerBackbone({ name: 'small-cnn' }, { workers: 0, workerUrl }),
    ).rejects.toThrow("loadWorkerBackbone: option 'workers' must be an integer >= 1, got 0");
  });
});
