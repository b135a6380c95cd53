// Test helpers for the PyTorch fixtures written by scripts/make-torch-fixture.py.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSafetensors } from './safetensors.js';

/** Path of a file under src/__fixtures__/torch/. */
export function torchFixture(name: string): string {
  return join(dirname(fileURLToPath(import.meta.url)), '__fixtures__', 'torch', name);
}

/** Every tensor of a fixture safetensors file, as float32. */
export async function readTensors(name: string): Promise<Record<string, Float32Array>> {
  const file = await openSafetensors(torchFixture(name));
  try {
    const out: Record<string, Float32Array> = {};
    for (const key of file.entries.keys()) out[key] = await file.read(key);
    return out;
  } finally {
    await file.close();
  }
}

/** max |got - want| / max |want|: the relative error the equivalence tests bound. */
export function relativeError(got: Float32Array, want: Float32Array): number {
  if (got.length !== want.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return diff / scale;
}
