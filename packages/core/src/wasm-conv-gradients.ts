import { tf } from './tf.js';

type KernelArgs = Parameters<tf.KernelFunc>[0];
type Backend = KernelArgs['backend'] & {
  readSync(dataId: object): tf.backend_util.BackendValues;
  disposeData(dataId: object, force?: boolean): boolean;
  makeOutput?(
    shape: number[],
    dtype: tf.DataType,
    offset?: number,
    values?: tf.backend_util.BackendValues,
  ): tf.TensorInfo;
};
interface HostBackend {
  readSync(dataId: object): tf.backend_util.BackendValues;
  write(values: tf.backend_util.BackendValues, shape: number[], dtype: tf.DataType): object;
  disposeData(dataId: object, force?: boolean): boolean;
}

/**
 * Kernels TensorFlow.js's WASM backend (4.22) lacks that backprop through convolutions needs:
 * without them, fine-tuning a convolutional network (MobileNetV2, say) fails there with
 * "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'".
 */
export const WASM_MISSING_CONV_KERNELS: readonly string[] = [
  'Conv2DBackpropFilter',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
];

/** Runs another kernel of the same backend; its result must be disposed by the caller. */
function runKernel(
  backend: Backend,
  name: string,
  inputs: Record<string, tf.TensorInfo> | tf.TensorInfo[],
  attrs: Record<string, unknown> = {},
): tf.TensorInfo {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`${name}: no kernel`);
  return kernel.kernelFunc({
    inputs: inputs as Record<string, tf.TensorInfo>,
    backend,
    attrs: attrs as KernelArgs['attrs'],
  }) as tf.TensorInfo;
}

/**
 * The convolution geometry of a filter gradient, and for each filter tap `(i, j)` the input
 * samples it met: `x` padded, sliced from the tap with the stride (`[n, outH, outW, c]`).
 */
function tapSlices(
  backend: Backend,
  x: tf.TensorInfo,
  filterShape: [number, number, number, number],
  attrs: Record<string, unknown>,
  depthwise: boolean,
): { info: tf.backend_util.Conv2DInfo; taps: tf.TensorInfo[] } {
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    attrs.strides as [number, number] | number,
    (attrs.dilations as [number, number] | number | undefined) ?? 1,
    attrs.pad as 'same' | 'valid' | number,
    attrs.dimRoundingMode as 'floor' | 'round' | 'ceil' | undefined,
    depthwise,
  );
  const { top, bottom, left, right } = info.padInfo;
  const padded = runKernel(
    backend,
    'PadV2',
    { x },
    {
      paddings: [
        [0, 0],
        [top, Math.max(0, bottom)],
        [left, Math.max(0, right)],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  const taps: tf.TensorInfo[] = [];
  try {
    for (let i = 0; i < info.filterHeight; i++) {
      for (let j = 0; j < info.filterWidth; j++) {
        const begin = [0, i * info.dilationHeight, j * info.dilationWidth, 0];
        const end = [
          info.batchSize,
          begin[1]! + (info.outHeight - 1) * info.strideHeight + 1,
          begin[2]! + (info.outWidth - 1) * info.strideWidth + 1,
          info.inChannels,
        ];
        taps.push(
          runKernel(
            backend,
            'StridedSlice',
            { x: padded },
            {
              begin,
              end,
              strides: [1, info.strideHeight, info.strideWidth, 1],
              beginMask: 0,
              endMask: 0,
              ellipsisMask: 0,
              newAxisMask: 0,
              shrinkAxisMask: 0,
            },
          ),
        );
      }
    }
  } finally {
    backend.disposeData(padded.dataId);
  }
  return { info, taps };
}

/** Stacks the per-tap results (each `[...rest]`) into `shape`, disposing them. */
function stackTaps(backend: Backend, parts: tf.TensorInfo[], shape: number[]): tf.TensorInfo {
  const rows = parts.map((p) =>
    runKernel(backend, 'Reshape', { x: p }, { shape: [1, ...p.shape] }),
  );
  // Concat takes its inputs as a list.
  const stacked = runKernel(backend, 'Concat', rows, { axis: 0 });
  const out = runKernel(backend, 'Reshape', { x: stacked }, { shape });
  for (const t of [...parts, ...rows, stacked]) backend.disposeData(t.dataId);
  return out;
}

/** `Conv2DBackpropFilter` from the backend's own kernels: per tap, `slice^T @ dy`. */
const conv2dBackpropFilter: tf.KernelFunc = ({ inputs, backend, attrs = {} }) => {
  const b = backend as Backend;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const filterShape = attrs.filterShape as [number, number, number, number];
  const { info, taps } = tapSlices(b, x, filterShape, attrs, false);
  const positions = info.batchSize * info.outHeight * info.outWidth;
  const dy3 = runKernel(b, 'Reshape', { x: dy }, { shape: [1, positions, info.outChannels] });
  const parts = taps.map((tap) => {
    const flat = runKernel(b, 'Reshape', { x: tap }, { shape: [positions, info.inChannels] });
    const t = runKernel(b, 'Transpose', { x: flat }, { perm: [1, 0] });
    const t3 = runKernel(b, 'Reshape', { x: t }, { shape: [1, info.inChannels, positions] });
    const product = runKernel(
      b,
      'BatchMatMul',
      { a: t3, b: dy3 },
      {
        transposeA: false,
        transposeB: false,
      },
    );
    for (const d of [tap, flat, t, t3]) b.disposeData(d.dataId);
    return product;
  });
  b.disposeData(dy3.dataId);
  return stackTaps(b, parts, filterShape);
};

/** `DepthwiseConv2dNativeBackpropFilter` (channel multiplier 1): per tap, `sum(slice * dy)`. */
const depthwiseBackpropFilter: tf.KernelFunc = (args) => {
  const { inputs, backend, attrs = {} } = args;
  const b = backend as Backend;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const filterShape = attrs.filterShape as [number, number, number, number];
  if (filterShape[3] !== 1) return cpuFallback('DepthwiseConv2dNativeBackpropFilter')(args);
  const { taps } = tapSlices(b, x, filterShape, attrs, true);
  const parts = taps.map((tap) => {
    const product = runKernel(b, 'Multiply', { a: tap, b: dy });
    const sum = runKernel(b, 'Sum', { x: product }, { axis: [0, 1, 2], keepDims: false });
    for (const d of [tap, product]) b.disposeData(d.dataId);
    return sum;
  });
  return stackTaps(b, parts, filterShape);
};

/**
 * A kernel that runs the `cpu` backend's kernel of the same name: the inputs are copied to the
 * CPU backend, the result copied back (same results, at plain JavaScript speed).
 */
function cpuFallback(kernelName: string): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const cpu = tf.findBackend('cpu') as unknown as HostBackend | null;
    const kernel = tf.getKernel(kernelName, 'cpu');
    if (!cpu || !kernel) throw new Error(`${kernelName}: no CPU kernel to fall back on`);
    const host = backend as Backend;
    const copies: Record<string, tf.TensorInfo> = {};
    for (const [name, t] of Object.entries(inputs)) {
      if (!t) continue;
      copies[name] = {
        dataId: cpu.write(host.readSync(t.dataId), t.shape, t.dtype),
        shape: t.shape,
        dtype: t.dtype,
      };
    }
    try {
      const out = kernel.kernelFunc({
        inputs: copies,
        backend: cpu as unknown as KernelArgs['backend'],
        ...(attrs ? { attrs } : {}),
      }) as tf.TensorInfo;
      const values = cpu.readSync(out.dataId);
      cpu.disposeData(out.dataId, true);
      return host.makeOutput!(out.shape, out.dtype, undefined, values);
    } finally {
      for (const c of Object.values(copies)) cpu.disposeData(c.dataId, true);
    }
  };
}

const KERNELS: Record<string, tf.KernelFunc> = {
  Conv2DBackpropFilter: conv2dBackpropFilter,
  DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter,
  DepthwiseConv2dNativeBackpropInput: cpuFallback('DepthwiseConv2dNativeBackpropInput'),
};

/**
 * Registers for the WASM backend the convolution-gradient kernels it lacks
 * ({@link WASM_MISSING_CONV_KERNELS}), so convolutional networks can be fine-tuned there:
 * `Conv2DBackpropFilter` and `DepthwiseConv2dNativeBackpropFilter` (channel multiplier 1) are
 * built from WASM's own pad, slice, matMul, multiply and sum kernels, one filter tap at a time;
 * `DepthwiseConv2dNativeBackpropInput` (and depthwise filters with a channel multiplier) run the
 * CPU backend's kernel on copies of the inputs. Kernels WASM has are left alone. Idempotent;
 * `initBackend` calls it for the WASM backend.
 *
 * @returns the kernels this call registered.
 */
export function installWasmConvGradients(): string[] {
  const added: string[] = [];
  for (const name of WASM_MISSING_CONV_KERNELS) {
    if (tf.getKernel(name, 'wasm')) continue;
    tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: KERNELS[name]! });
    added.push(name);
  }
  return added;
}
