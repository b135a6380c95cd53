import { describe, expect, it } from 'vitest';
import type { EvalSide } from './check-eval-inputs.js';
import { checkClassNamesCover, parseClassNames } from './class-names.js';

const side = (labels: number[], labelSource: string): EvalSide => ({
  rows: labels.length,
  labels: Int32Array.from(labels),
  source: '--queries q.npy',
  labelSource,
});

describe('parseClassNames', () => {
  it('trims names and ignores blank lines after the last name', () => {
    expect(parseClassNames(' cat \r\ndog\r\n\r\n  \n', 'n.txt')).toEqual(['cat', 'dog']);
    expect(parseClassNames('', 'n.txt')).toEqual([]);
  });

  it('refuses a blank line before the last name, naming the line', () => {
    expect(() => parseClassNames('cat\ndog\n \ncow\n', '--class-names n.txt')).toThrow(
      '--class-names n.txt: line 3 is blank; expected one class name per line',
    );
  });
});

describe('checkClassNamesCover', () => {
  const sides = [side([0, 1], '--query-labels ql.npy'), side([3, 0], '--gallery-labels gl.npy')];

  it('names the file, its count and the largest label with the file holding it', () => {
    expect(() => checkClassNamesCover(['a', 'b', 'c'], '--class-names n.txt', sides)).toThrow(
      '--class-names n.txt: holds 3 names; expected at least 4, one per label 0..3 (the largest label, in --gallery-labels gl.npy)',
    );
    expect(() => checkClassNamesCover(['a', 'b', 'c', 'd', 'e'], 'n', sides)).not.toThrow();
  });

  it('refuses a negative label, which no line can name', () => {
    expect(() =>
      checkClassNamesCover(['a'], '--class-names n.txt', [side([0, -1], '--query-labels ql.npy')]),
    ).toThrow(
      '--query-labels ql.npy: label -1 at row 1 cannot index --class-names n.txt; expected labels 0, 1, … with class names',
    );
  });
});
