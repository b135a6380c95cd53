import { describe, expect, it } from 'vitest';
import { ClassVectorError } from '../errors.js';
import { classVectorMatrix, l2Normalise } from './class-vector-matrix.js';
import { classVectorWords, resolveClassVector } from './resolve-class-vector.js';

const v = (...x: number[]) => Float32Array.from(x);

describe('resolveClassVector', () => {
  const words = new Map([
    ['Alarm-Clock', v(9, 9)],
    ['alarm', v(1, 2)],
    ['clock', v(3, 6)],
    ['car', v(2, 0)],
    ['sedan', v(0, 4)],
    ['table', v(1, 1)],
    ['lamp', v(3, 3)],
  ]);

  it('finds the whole name whatever its separators and case', () => {
    expect([...resolveClassVector('alarm clock', words)!]).toEqual([9, 9]);
    expect([...resolveClassVector('ALARM_CLOCK', words)!]).toEqual([9, 9]);
  });

  it('averages the words of a multi-word name', () => {
    expect([...resolveClassVector('table lamp', words)!]).toEqual([2, 2]);
  });

  it('uses the documented synonyms first', () => {
    // tablelamp -> table_lamp -> mean(table, lamp); car (sedan) -> sedan.
    expect([...resolveClassVector('tablelamp', words)!]).toEqual([2, 2]);
    expect([...resolveClassVector('car (sedan)', words)!]).toEqual([0, 4]);
  });

  it('gives up when a word has no vector', () => {
    expect(resolveClassVector('alarm bell', words)).toBeUndefined();
  });

  it('lists the words a streamed file must keep', () => {
    const need = classVectorWords(['Hot-Air Balloon', 'tablelamp']);
    for (const w of [
      'Hot-Air Balloon',
      'hot_air_balloon',
      'hot air balloon',
      'hot-air-balloon',
      'hot',
      'air',
      'balloon',
      'table_lamp',
      'lamp',
    ]) {
      expect(need.has(w), w).toBe(true);
    }
  });
});

describe('classVectorMatrix', () => {
  const a = new Map([
    ['cat', v(3, 4)],
    ['dog', v(0, 2)],
  ]);
  const b = new Map([
    ['cat', v(1)],
    ['dog', v(5)],
  ]);

  it('concatenates sources per class, optionally L2-normalised', () => {
    const m = classVectorMatrix(['dog', 'cat'], [a, b]);
    expect([m.rows, m.cols]).toEqual([2, 3]);
    expect([...m.data]).toEqual([0, 2, 5, 3, 4, 1]);
    const n = classVectorMatrix(['cat'], [a, b], { l2Normalise: true });
    expect([...n.data].map((x) => Number(x.toFixed(6)))).toEqual([0.6, 0.8, 1]);
    expect([...a.get('cat')!]).toEqual([3, 4]);
  });

  it('lists every class without a vector, per source', () => {
    const call = () =>
      classVectorMatrix(['cat', 'cow', 'eel'], [a, b], { sourceNames: ['glove', 'w2v'] });
    expect(call).toThrow(ClassVectorError);
    expect(call).toThrow('glove: cow, eel; w2v: cow, eel');
  });

  it('l2Normalise leaves a zero vector alone', () => {
    expect([...l2Normalise(v(0, 0))]).toEqual([0, 0]);
  });
});
