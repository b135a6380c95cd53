import { describe, expect, it } from 'vitest';
import { SplitError } from './errors.js';
import { labelIndices } from './label-indices.js';

describe('labelIndices', () => {
  it('maps class names to indices, normalised, and lists unknown ones', () => {
    expect(labelIndices(['alarm_clock', 'cat'], ['Cat', 'alarm clock'])).toEqual([1, 0]);
    expect(() => labelIndices(['cat'], ['dog', 'cow'])).toThrow(SplitError);
    expect(() => labelIndices(['cat'], ['dog', 'cow'])).toThrow(/dog, cow/);
  });
});
