import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { LossError } from './errors.js';
import { readOptions } from './read-options.js';
import { TRIPLET_OPTIONS } from './triplet.js';

describe('readOptions', () => {
  const schema = v.strictObject({
    margin: v.optional(v.number(), 0.5),
    scales: v.array(v.number()),
  });

  it("fills in a user schema's defaults", () => {
    expect(readOptions('mine', { scales: [1] }, schema)).toEqual({ margin: 0.5, scales: [1] });
  });

  it('names the loss, the option path and the value', () => {
    expect(() => readOptions('mine', { scales: [1, 'x'] }, schema)).toThrow(
      new LossError(`mine: option 'scales[1]' must be a number, got "x"`),
    );
    expect(() => readOptions('mine', { scales: [], marg: 1 }, schema)).toThrow(
      "mine: unknown option 'marg'; valid options are margin, scales",
    );
  });

  it("exposes each built-in loss's options as a schema", () => {
    expect(v.parse(TRIPLET_OPTIONS, {})).toEqual({
      margin: 0.2,
      mining: 'batch-hard',
      distance: 'euclidean',
      crossModal: true,
    });
    expect(() => readOptions('triplet', { margin: -1 }, TRIPLET_OPTIONS)).toThrow(
      "triplet: option 'margin' must be a finite number >= 0, got -1",
    );
  });
});
