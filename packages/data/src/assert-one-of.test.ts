import { describe, expect, it } from 'vitest';
import { assertOneOf } from './assert-one-of.js';
import { SplitError } from './errors.js';

describe('assertOneOf', () => {
  it('accepts a valid choice', () => {
    expect(() => assertOneOf('loadSplit', 'dataset', 'sake', ['sem-pcyc', 'sake'])).not.toThrow();
  });

  it('throws the given class naming where, the option, the value and the choices', () => {
    expect(() =>
      assertOneOf('loadSplit', 'dataset', 'tuberlin', ['sem-pcyc', 'sake'], SplitError),
    ).toThrow(
      new SplitError(`loadSplit: option 'dataset' must be one of sem-pcyc, sake, got "tuberlin"`),
    );
    expect(() => assertOneOf('x', 'mode', 3, ['a'])).toThrow(
      `x: option 'mode' must be one of a, got 3`,
    );
  });
});
