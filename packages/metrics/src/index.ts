export type { NpyArray, NpyInput } from './npy-array';
export type { Float32Matrix } from './npy-convert';
export { npyToLabels, npyToMatrix, readNpyLabels, readNpyMatrix } from './npy-convert';
export type { NpyData, NpyDtype } from './npy-dtype';
export { NpyError } from './npy-error';
export { readNpy, writeNpy } from './npy-file';
export { parseNpy } from './npy-read';
export { encodeNpy } from './npy-write';
