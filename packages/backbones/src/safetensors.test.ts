import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackboneError } from './backbone-error.js';
import { decodeSafetensorsData, openSafetensors } from './safetensors.js';
import { torchFixture } from './torch-fixture.testkit.js';

// dtypes.safetensors / dtypes.json: written by scripts/make-torch-fixture.py with numpy/torch.
const expected = JSON.parse(readFileSync(torchFixture('dtypes.json'), 'utf8')) as Record<
  string,
  { shape: number[]; values: number[] }
>;

describe('openSafetensors', () => {
  it('decodes F32, F16 (subnormals too), BF16, F64 and I64 to the values numpy computed', async () => {
    const file = await openSafetensors(torchFixture('dtypes.safetensors'));
    try {
      expect([...file.entries.keys()].sort()).toEqual(Object.keys(expected).sort());
      for (const [name, want] of Object.entries(expected)) {
        expect(file.entries.get(name)?.shape).toEqual(want.shape);
        const got = await file.read(name);
        // Exact for every dtype: each value is representable in float32.
        expect([...got]).toEqual(want.values.map((v) => Math.fround(v)));
      }
    } finally {
      await file.close();
    }
  });

  it('names the file when it is not a safetensors file', async () => {
    const path = join(tmpdir(), `not-safetensors-${process.pid}.safetensors`);
    await writeFile(path, Buffer.from('{"hello": 1}'));
    await expect(openSafetensors(path)).rejects.toThrow(/not-safetensors.*header length/);
    await expect(openSafetensors(join(tmpdir(), 'missing.safetensors'))).rejects.toThrow(
      BackboneError,
    );
  });

  it('rejects a header whose byte ranges do not fit the shapes', async () => {
    const header = Buffer.from(
      JSON.stringify({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }),
    );
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(header.length));
    const path = join(tmpdir(), `bad-offsets-${process.pid}.safetensors`);
    await writeFile(path, Buffer.concat([length, header, Buffer.alloc(8)]));
    await expect(openSafetensors(path)).rejects.toThrow(/'w' has shape \[3\] of F32 but 8 bytes/);
  });
});

describe('decodeSafetensorsData', () => {
  it('decodes half-precision infinities and NaN', () => {
    const bytes = new Uint8Array(new Uint16Array([0x7c00, 0xfc00, 0x7e00, 0x3c00]).buffer);
    const out = decodeSafetensorsData(bytes, 'F16', 'x');
    expect(out[0]).toBe(Number.POSITIVE_INFINITY);
    expect(out[1]).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(out[2])).toBe(true);
    expect(out[3]).toBe(1);
  });

  it('lists the supported dtypes for an unknown one', () => {
    expect(() => decodeSafetensorsData(new Uint8Array(4), 'C64', 'w.safetensors')).toThrow(
      /dtype C64 is not supported \(expected one of F64, F32, F16, BF16/,
    );
  });
});
