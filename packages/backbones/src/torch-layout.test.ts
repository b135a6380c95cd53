import { describe, expect, it } from 'vitest';
import { torchShape, toTfLayout } from './torch-layout.js';

describe('torchShape', () => {
  it('maps HWIO kernels to OIHW and [in, out] to [out, in]', () => {
    expect(torchShape([3, 5, 4, 8], { kind: 'conv' })).toEqual([8, 4, 3, 5]);
    expect(torchShape([10, 2], { kind: 'linear' })).toEqual([2, 10]);
    expect(torchShape([12, 2], { kind: 'flatten-chw', channels: 3, height: 2, width: 2 })).toEqual([
      2, 12,
    ]);
    expect(torchShape([7], { kind: 'same' })).toEqual([7]);
  });
});

describe('toTfLayout', () => {
  it('moves conv weight [o, i, y, x] to kernel [y, x, i, o]', () => {
    // torch weight [o=2, i=1, kh=1, kw=2]: value 10*o + x.
    const torch = new Float32Array([0, 1, 10, 11]);
    // tf kernel [kh=1, kw=2, i=1, o=2]: index x*2 + o.
    expect([...toTfLayout(torch, [1, 2, 1, 2], { kind: 'conv' })]).toEqual([0, 10, 1, 11]);
  });

  it('transposes a linear weight', () => {
    // torch [out=2, in=3] = [[1, 2, 3], [4, 5, 6]] -> tf [in=3, out=2].
    const out = toTfLayout(new Float32Array([1, 2, 3, 4, 5, 6]), [3, 2], { kind: 'linear' });
    expect([...out]).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('reorders fc6 inputs from a CHW flatten to an HWC flatten', () => {
    // One output unit reading a [c=2, h=1, w=3] map; torch input order c0x0 c0x1 c0x2 c1x0 ...
    const torch = new Float32Array([100, 101, 102, 110, 111, 112]);
    const layout = { kind: 'flatten-chw', channels: 2, height: 1, width: 3 } as const;
    // tf input order x0c0 x0c1 x1c0 x1c1 x2c0 x2c1.
    expect([...toTfLayout(torch, [6, 1], layout)]).toEqual([100, 110, 101, 111, 102, 112]);
  });

  it('agrees with flatten-then-dot on a random map (2 outputs, 3x2x2 map)', () => {
    const [c, h, w, outs] = [3, 2, 2, 2];
    const weight = Float32Array.from({ length: outs * c * h * w }, (_, i) => Math.sin(i));
    const chw = Float32Array.from({ length: c * h * w }, (_, i) => Math.cos(3 * i));
    const hwc = new Float32Array(c * h * w);
    for (let k = 0; k < c; k++)
      for (let p = 0; p < h * w; p++) hwc[p * c + k] = chw[k * h * w + p]!;
    const kernel = toTfLayout(weight, [c * h * w, outs], {
      kind: 'flatten-chw',
      channels: c,
      height: h,
      width: w,
    });
    for (let o = 0; o < outs; o++) {
      let torchDot = 0;
      let tfDot = 0;
      for (let i = 0; i < c * h * w; i++) {
        torchDot += weight[o * c * h * w + i]! * chw[i]!;
        tfDot += kernel[i * outs + o]! * hwc[i]!;
      }
      expect(tfDot).toBeCloseTo(torchDot, 5);
    }
  });
});
