import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend, tf } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BackboneError } from './backbone-error.js';
import { fileIOHandler, registerFileRouter } from './file-io-handler.js';
import { loadBackbone } from './load-backbone.js';
import { loadNsfwjsMobileNetV2 } from './nsfwjs-models.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const input = (n: number, size: number) =>
  Float32Array.from({ length: n * size * size * 3 }, (_, i) => Math.cos(i * 0.11));

describe('fileIOHandler', () => {
  it('saves a model to a folder and loads it back with the same outputs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backbones-io-'));
    const original = await loadBackbone({ name: 'small-cnn', seed: 3 });
    await original.model.save(fileIOHandler(dir));
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(['model.json', expect.stringMatching(/^weights-[0-9a-f]{16}\.bin$/)]);
    // Saving other weights over it replaces the weights file; only the one model.json names stays.
    const other = await loadBackbone({ name: 'small-cnn', seed: 4 });
    await other.model.save(fileIOHandler(dir));
    const after = (await readdir(dir)).sort();
    expect(after).toHaveLength(2);
    expect(after[1]).not.toBe(files[1]);
    await other.dispose();
    await original.model.save(fileIOHandler(dir));
    expect((await readdir(dir)).sort()).toEqual(files);
    const reloaded = await loadBackbone({ name: 'small-cnn', weights: dir });
    expect(reloaded.weights).toBe(dir);
    expect(reloaded.normalisation).toBe('unit');
    const x = input(2, 32);
    expect([...(await reloaded.embedData(x, 2))]).toEqual([...(await original.embedData(x, 2))]);
    await original.dispose();
    await reloaded.dispose();
  }, 30_000);

  it('loads Keras-converted folders at their feature layer, with Keras normalisation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backbones-keras-'));
    await fileIOHandler(join(dir, 'model.json')).save(await loadNsfwjsMobileNetV2());
    const fromFolder = await loadBackbone({ name: 'mobilenet-v2', weights: dir, inputSize: 64 });
    expect(fromFolder.normalisation).toBe('symmetric');
    expect(fromFolder.outputDim).toBe(1280);
    const bundled = await loadBackbone({ name: 'mobilenet-v2', inputSize: 64 });
    const x = input(1, 64);
    expect([...(await fromFolder.embedData(x, 1))]).toEqual([...(await bundled.embedData(x, 1))]);
    await expect(
      loadBackbone({ name: 'mobilenet-v2', weights: dir, layer: 'out_reluu' }),
    ).rejects.toThrow(/has no layer 'out_reluu' \(option 'layer'\); closest: out_relu, /);
    await fromFolder.dispose();
    await bundled.dispose();
  }, 30_000);

  it('serves file:// URLs once registered', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backbones-url-'));
    const original = await loadBackbone({ name: 'small-cnn', seed: 5 });
    registerFileRouter();
    await original.model.save(`file://${dir}`);
    const model = await tf.loadLayersModel(`file://${join(dir, 'model.json')}`);
    expect(model.countParams()).toBe(original.model.countParams());
    model.dispose();
    await original.dispose();
  }, 30_000);

  it('names the file it cannot read', async () => {
    await expect(fileIOHandler('/nonexistent/model.json').load()).rejects.toThrow(BackboneError);
    await expect(fileIOHandler('/nonexistent/model.json').load()).rejects.toThrow(
      /cannot read TensorFlow.js model \/nonexistent\/model.json/,
    );
  }, 30_000);

  it('names the file and the key of a model.json of the wrong shape', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backbones-bad-json-'));
    const file = join(dir, 'model.json');
    await writeFile(
      file,
      JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: 'w.bin' }] }),
    );
    await expect(fileIOHandler(dir).load()).rejects.toThrow(
      new BackboneError(
        `${file}: key 'weightsManifest[0].paths' must be an array, got "w.bin" (expected a model.json written by tensorflowjs_converter or model.save)`,
      ),
    );
    await writeFile(file, '{"modelTopology":');
    await expect(fileIOHandler(file).load()).rejects.toThrow(`${file}: not valid JSON`);
  }, 30_000);
});
