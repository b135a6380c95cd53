/**
 * Typed errors of `@zs-sbir/data`. Each names the file, class, split or option that is wrong and
 * what was expected, so a long run can be fixed without reading the code.
 */

/** A dataset root, layout or file list that cannot be read. */
export class DatasetError extends Error {
  override name = 'DatasetError';
}

/** A split that does not exist, or whose classes are not in the dataset. */
export class SplitError extends Error {
  override name = 'SplitError';
}

/** An image that cannot be decoded (only thrown when `strict` is set), or bad image options. */
export class ImageError extends Error {
  override name = 'ImageError';
}

/** A class-vector file that cannot be read, or classes without a vector. */
export class ClassVectorError extends Error {
  override name = 'ClassVectorError';
}

/** A pickle stream this reader does not understand (see `readPickle`). */
export class PickleError extends Error {
  override name = 'PickleError';
}

/** A feature store that cannot be written, or options that do not fit it. */
export class FeatureStoreError extends Error {
  override name = 'FeatureStoreError';
}
