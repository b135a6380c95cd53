import { describe, expect, it } from 'vitest';
import { classNameWords, normaliseClassName } from './class-name.js';

describe('normaliseClassName', () => {
  it('lower-cases and joins words with one underscore', () => {
    expect(normaliseClassName('  Alarm Clock ')).toBe('alarm_clock');
    expect(normaliseClassName('wine-bottle')).toBe('wine_bottle');
    expect(normaliseClassName('teddy-bear')).toBe('teddy_bear');
    expect(normaliseClassName('walkie  talkie')).toBe('walkie_talkie');
    expect(normaliseClassName('ice-cream-cone')).toBe('ice_cream_cone');
  });

  it('maps the Sketchy folders to the names SEM-PCYC uses', () => {
    expect(normaliseClassName('hot-air_balloon')).toBe('hot_air_balloon');
    expect(normaliseClassName('jack-o-lantern')).toBe('jack_o_lantern');
  });

  it('gives TU-Berlin and Sketchy spellings of one class the same name', () => {
    expect(normaliseClassName('car (sedan)')).toBe(normaliseClassName('car_(sedan)'));
    expect(normaliseClassName('Hot air balloon')).toBe(normaliseClassName('hot-air_balloon'));
  });

  it('is idempotent', () => {
    for (const n of ['pipe (for smoking)', 'T-Shirt', 'hot-air_balloon']) {
      expect(normaliseClassName(normaliseClassName(n))).toBe(normaliseClassName(n));
    }
  });
});

describe('classNameWords', () => {
  it('splits on separators and drops parentheses', () => {
    expect(classNameWords('pipe (for smoking)')).toEqual(['pipe', 'for', 'smoking']);
    expect(classNameWords('hot-air_balloon')).toEqual(['hot', 'air', 'balloon']);
    expect(classNameWords('cat')).toEqual(['cat']);
  });
});
