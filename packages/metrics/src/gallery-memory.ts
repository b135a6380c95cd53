import { dotKernelModule } from './dot-kernel-module';
import { MetricsError } from './metrics-error';

/**
 * A gallery `[rows, dim]` held as float64 in shared WebAssembly memory (rows padded with zeros to
 * a multiple of 4, dimensions to a multiple of 2), followed by one scratch slot per thread for
 * two query rows and their two output rows. Post it to worker threads; each uses its own slot.
 */
export interface GalleryMemory {
  memory: WebAssembly.Memory;
  rows: number;
  dim: number;
  rowsPadded: number;
  dimPadded: number;
  slots: number;
}

const PAGE = 65536;
/** Largest shared memory requested: 2 GiB. */
const MAX_BYTES = 2 ** 31;

function slotBytes(g: Pick<GalleryMemory, 'rowsPadded' | 'dimPadded'>): number {
  return (2 * g.dimPadded + 2 * g.rowsPadded) * 8;
}

/**
 * Copies a row-major float32 gallery `[rows, dim]` into new shared memory with `slots` thread
 * slots.
 * @throws {MetricsError} when the float64 copy would exceed 2 GiB.
 */
export function createGalleryMemory(
  data: Float32Array,
  rows: number,
  dim: number,
  slots: number,
): GalleryMemory {
  const rowsPadded = Math.ceil(rows / 4) * 4;
  const dimPadded = Math.ceil(dim / 2) * 2;
  const galleryBytes = rowsPadded * dimPadded * 8;
  const bytes = galleryBytes + slots * slotBytes({ rowsPadded, dimPadded });
  if (bytes > MAX_BYTES) {
    throw new MetricsError(
      `evaluateRetrieval: a gallery of ${rows} x ${dim} needs ${(bytes / 2 ** 30).toFixed(1)} GiB as float64, over the 2 GiB limit; evaluate it in parts or pass precomputed scores`,
    );
  }
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const view = new Float64Array(memory.buffer, 0, rowsPadded * dimPadded);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < dim; k++) view[r * dimPadded + k] = data[r * dim + k]!;
  }
  return { memory, rows, dim, rowsPadded, dimPadded, slots };
}

let compiled: WebAssembly.Module | undefined;

/**
 * A function that writes the dot products of `count` float32 query rows `[count, dim]` with every
 * gallery row into `out` `[count, rows]`, using scratch slot `slot` of the shared memory.
 */
export function createDotKernel(
  g: GalleryMemory,
  slot: number,
): (queries: Float32Array, count: number, out: Float64Array) => void {
  compiled ??= new WebAssembly.Module(dotKernelModule());
  const instance = new WebAssembly.Instance(compiled, { env: { memory: g.memory } });
  const dot2x4 = instance.exports.dot2x4 as (...args: number[]) => void;
  const { rows, dim, rowsPadded, dimPadded } = g;
  const slotStart = rowsPadded * dimPadded * 8 + slot * slotBytes(g);
  const queryView = new Float64Array(g.memory.buffer, slotStart, 2 * dimPadded);
  const outStart = slotStart + 2 * dimPadded * 8;
  const outView = new Float64Array(g.memory.buffer, outStart, 2 * rowsPadded);
  return (queries, count, out) => {
    for (let i = 0; i < count; i += 2) {
      queryView.fill(0);
      const pair = Math.min(2, count - i);
      for (let p = 0; p < pair; p++) {
        for (let k = 0; k < dim; k++) queryView[p * dimPadded + k] = queries[(i + p) * dim + k]!;
      }
      dot2x4(slotStart, 0, rowsPadded, dimPadded * 8, outStart, rowsPadded * 8);
      for (let p = 0; p < pair; p++) {
        out.set(outView.subarray(p * rowsPadded, p * rowsPadded + rows), (i + p) * rows);
      }
    }
  };
}
