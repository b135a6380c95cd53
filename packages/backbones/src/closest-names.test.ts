import { describe, expect, it } from 'vitest';
import { closestNames, editDistance } from './closest-names.js';

describe('closestNames', () => {
  it('ranks by edit distance, ties in the order given', () => {
    expect(editDistance('mixed55', 'mixed5')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    const valid = ['conv2d_1', 'mixed0', 'mixed5', 'mixed6', 'mixed10'];
    expect(closestNames('mixed55', valid, 3)).toEqual(['mixed5', 'mixed0', 'mixed6']);
    expect(closestNames('MIXED1', valid, 2)).toEqual(['mixed0', 'mixed5']);
  });
});
