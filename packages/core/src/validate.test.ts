import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { integerSchema, numberSchema, oneOfSchema, seedSchema } from './option-schemas.js';
import { validate, validateJson } from './validate.js';

class TestError extends Error {}

const options = v.strictObject({
  size: v.optional(integerSchema({ min: 2 }), 4),
  rate: v.optional(numberSchema({ min: 0, max: 1, maxExclusive: true }), 0.5),
  mode: v.optional(oneOfSchema(['fast', 'exact']), 'fast'),
  seed: seedSchema(),
  nested: v.optional(v.strictObject({ widths: v.optional(v.array(integerSchema()), []) }), {}),
});
const asOptions = { where: 'build', error: TestError } as const;
const asConfig = { path: 'config', error: TestError } as const;

describe('validate', () => {
  it('returns the output with defaults filled in', () => {
    expect(validate(options, { seed: 1 }, asOptions)).toEqual({
      size: 4,
      rate: 0.5,
      mode: 'fast',
      seed: 1,
      nested: { widths: [] },
    });
  });

  it('names unknown keys and lists the valid ones, before other problems', () => {
    expect(() => validate(options, { seed: 'x', sise: 3, mod: 1, rate: 7 }, asOptions)).toThrow(
      new TestError(
        "build: unknown options 'sise', 'mod'; valid options are size, rate, mode, seed, nested",
      ),
    );
    expect(() => validate(options, { seed: 1, nested: { width: [] } }, asConfig)).toThrow(
      "config.nested: unknown key 'width'; valid keys are widths",
    );
    expect(() => validate(options, { seed: 1, nested: { width: [] } }, asOptions)).toThrow(
      "build: unknown option 'nested.width'; valid options are widths",
    );
  });

  it('names a wrong value with the choices or the range', () => {
    expect(() => validate(options, { seed: 1, mode: 'slow' }, asOptions)).toThrow(
      `build: option 'mode' must be one of fast, exact, got "slow"`,
    );
    expect(() => validate(options, { seed: 1, rate: 1 }, asOptions)).toThrow(
      "build: option 'rate' must be a finite number >= 0 and < 1, got 1",
    );
    expect(() => validate(options, { seed: 1, size: 2.5 }, asConfig)).toThrow(
      'config.size must be an integer >= 2, got 2.5',
    );
    expect(() => validate(options, { seed: 1, nested: { widths: [3, 'x'] } }, asConfig)).toThrow(
      'config.nested.widths[1] must be an integer >= 1, got "x"',
    );
    expect(() =>
      validate(v.object({ n: integerSchema({ min: 32, max: 1024 }) }), { n: 2048 }, asOptions),
    ).toThrow("build: option 'n' must be an integer from 32 to 1024, got 2048");
    expect(() => validate(options, { seed: Number.NaN }, asOptions)).toThrow(
      "build: option 'seed' must be a finite number or a string, got NaN",
    );
  });

  it('says a required key is missing and names a file with noun key', () => {
    expect(() => validate(options, {}, asOptions)).toThrow("build: option 'seed' is required");
    expect(() =>
      validate(options, { seed: 1, nested: 3 }, { where: 'm.json', noun: 'key', error: TestError }),
    ).toThrow("m.json: key 'nested' must be an object, got 3");
    expect(() => validate(options, 5, asOptions)).toThrow(
      'build: options must be an object, got 5',
    );
  });
});

describe('validateJson', () => {
  const file = { where: '/runs/a/run.json', noun: 'key', error: TestError } as const;

  it('parses and checks JSON text', () => {
    expect(validateJson(options, '{"seed":"s","size":3}', file)).toMatchObject({
      seed: 's',
      size: 3,
    });
  });

  it('names the file for text that is not JSON, and the key for a wrong value', () => {
    expect(() => validateJson(options, '{"seed":', file)).toThrow(
      /^\/runs\/a\/run\.json: not valid JSON \(/,
    );
    expect(() => validateJson(options, '{"seed":1,"mode":"slow"}', file)).toThrow(
      new TestError(`/runs/a/run.json: key 'mode' must be one of fast, exact, got "slow"`),
    );
  });
});
