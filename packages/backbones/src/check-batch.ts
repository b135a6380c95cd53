import { BackboneError } from './backbone-error.js';

/**
 * Checks that a flat NHWC batch holds `count` images of `size` x `size` x 3.
 * @throws {BackboneError} naming the backbone and the expected length.
 */
export function checkBatchData(
  name: string,
  size: number,
  data: Float32Array,
  count: number,
): void {
  const expected = count * size * size * 3;
  if (!Number.isInteger(count) || count < 1 || data.length !== expected) {
    throw new BackboneError(
      `${name}.embedData: expected ${count} image(s) of ${size}x${size}x3 (${expected} floats, NHWC), got ${data.length} floats`,
    );
  }
}

/**
 * Checks a batch tensor's shape: `[n, size, size, 3]`.
 * @throws {BackboneError} naming the backbone and the shape found.
 */
export function checkBatchShape(name: string, size: number, shape: readonly number[]): void {
  if (shape.length !== 4 || shape[1] !== size || shape[2] !== size || shape[3] !== 3) {
    throw new BackboneError(
      `${name}.embed: expected a batch [n, ${size}, ${size}, 3] (NHWC, normalised), got [${shape.join(', ')}]`,
    );
  }
}
