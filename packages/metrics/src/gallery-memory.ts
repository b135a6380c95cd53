import { dotKernelModule } from './dot-kernel-module.js';
import { MetricsError } from './metrics-error.js';

/**
 * A gallery `[rows, dim]` held as float64 in shared WebAssembly memory, in the packed layout of
 * {@link dotKernelModule} (rows padded with zeros to a multiple of 4, dimensions to a multiple of
 * 2), followed by one scratch slot per thread for up to `blockRows` query rows and their output
 * rows. Post it to worker threads; each uses its own slot.
 */
export interface GalleryMemory {
  memory: WebAssembly.Memory;
  rows: number;
  dim: number;
  rowsPadded: number;
  dimPadded: number;
  slots: number;
  /** Most query rows per kernel call (even). */
  blockRows: number;
}

const PAGE = 65536;
/** Largest shared memory requested: 2 GiB. */
const MAX_BYTES = 2 ** 31;

/** Gallery rows per cache chunk: about 256 KiB of float64, a multiple of 4. */
const CHUNK_BYTES = 2 ** 18;

function slotBytes(g: Pick<GalleryMemory, 'rowsPadded' | 'dimPadded' | 'blockRows'>): number {
  return g.blockRows * (g.dimPadded + g.rowsPadded) * 8;
}

/**
 * Copies a row-major float32 gallery `[rows, dim]` into new shared memory with `slots` thread
 * slots of `maxQueries` query rows each.
 * @throws {MetricsError} when it would exceed 2 GiB.
 */
export function createGalleryMemory(
  data: Float32Array,
  rows: number,
  dim: number,
  slots: number,
  maxQueries: number,
): GalleryMemory {
  const rowsPadded = Math.ceil(rows / 4) * 4;
  const dimPadded = Math.ceil(dim / 2) * 2;
  const blockRows = Math.ceil(maxQueries / 2) * 2;
  const galleryBytes = rowsPadded * dimPadded * 8;
  const bytes = galleryBytes + slots * slotBytes({ rowsPadded, dimPadded, blockRows });
  if (bytes > MAX_BYTES) {
    throw new MetricsError(
      `evaluateRetrieval: a gallery of ${rows} x ${dim} needs ${(bytes / 2 ** 30).toFixed(1)} GiB as float64, over the 2 GiB limit; evaluate it in parts or pass precomputed scores`,
    );
  }
  const pages = Math.max(1, Math.ceil(bytes / PAGE));
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  const view = new Float64Array(memory.buffer, 0, rowsPadded * dimPadded);
  // Row r, dimension k -> group r >> 2, pair k >> 1, row-in-group r & 3, lane k & 1.
  for (let r = 0; r < rows; r++) {
    const group = (r >> 2) * dimPadded * 4 + (r & 3) * 2;
    for (let k = 0; k < dim; k++) view[group + (k >> 1) * 8 + (k & 1)] = data[r * dim + k]!;
  }
  return { memory, rows, dim, rowsPadded, dimPadded, slots, blockRows };
}

let compiled: WebAssembly.Module | undefined;

/**
 * A function that writes the dot products of `count` (at most `blockRows`) float32 query rows
 * `[count, dim]` with every gallery row into `out` `[count, rows]`, using scratch slot `slot` of
 * the shared memory. The gallery is walked in chunks of about 256 KiB that stay in cache while
 * every query pair passes over them.
 */
export function createDotKernel(
  g: GalleryMemory,
  slot: number,
): (queries: Float32Array, count: number, out: Float64Array) => void {
  compiled ??= new WebAssembly.Module(dotKernelModule());
  const instance = new WebAssembly.Instance(compiled, { env: { memory: g.memory } });
  const dot2x4 = instance.exports.dot2x4 as (...args: number[]) => void;
  const { rows, dim, rowsPadded, dimPadded, blockRows } = g;
  const pairBytes = dimPadded * 16;
  const groupBytes = 2 * pairBytes;
  const chunkGroups = Math.max(1, Math.floor(CHUNK_BYTES / groupBytes));
  const groups = rowsPadded / 4;
  const queryStart = rowsPadded * dimPadded * 8 + slot * slotBytes(g);
  const queryView = new Float64Array(g.memory.buffer, queryStart, blockRows * dimPadded);
  const outStart = queryStart + blockRows * dimPadded * 8;
  const outView = new Float64Array(g.memory.buffer, outStart, blockRows * rowsPadded);
  return (queries, count, out) => {
    queryView.fill(0);
    // Query i, dimension k -> pair block i >> 1, dimension pair k >> 1, row i & 1, lane k & 1.
    for (let i = 0; i < count; i++) {
      const base = (i >> 1) * dimPadded * 2 + (i & 1) * 2;
      for (let k = 0; k < dim; k++)
        queryView[base + (k >> 1) * 4 + (k & 1)] = queries[i * dim + k]!;
    }
    for (let c0 = 0; c0 < groups; c0 += chunkGroups) {
      const chunk = Math.min(chunkGroups, groups - c0);
      for (let i = 0; i < count; i += 2) {
        dot2x4(
          queryStart + (i >> 1) * pairBytes,
          c0 * groupBytes,
          chunk,
          pairBytes,
          outStart + (i * rowsPadded + c0 * 4) * 8,
          rowsPadded * 8,
        );
      }
    }
    for (let i = 0; i < count; i++) {
      out.set(outView.subarray(i * rowsPadded, i * rowsPadded + rows), i * rows);
    }
  };
}
