import { describe, expect, it } from 'vitest';
import { checkEvalInputs, type EvalSide } from './check-eval-inputs.js';

const side = (labels: number[], name: string): EvalSide => ({
  rows: labels.length,
  labels: Int32Array.from(labels),
  source: `--${name} ${name}.npy`,
  labelSource: `--${name}-labels ${name}-labels.npy`,
});

describe('checkEvalInputs', () => {
  it('accepts queries of which only some have their class in the gallery', () => {
    expect(() => checkEvalInputs(side([0, 7, 7], 'q'), side([0, 1], 'g'))).not.toThrow();
  });

  it('lists at most five labels of each side when no class is shared', () => {
    const queries = side([9, 8, 7, 6, 5, 4, 4], 'q');
    expect(() => checkEvalInputs(queries, side([1, 0, 1], 'g'))).toThrow(
      '--q-labels q-labels.npy and --g-labels g-labels.npy share no class (query labels 4, 5, 6, 7, 8, … (6 classes); gallery labels 0, 1)',
    );
  });

  it('checks rows and label counts before the classes', () => {
    expect(() => checkEvalInputs(side([], 'q'), side([], 'g'))).toThrow(
      '--q q.npy: holds 0 rows; expected at least one query embedding',
    );
    const short = { ...side([0, 1], 'g'), rows: 3 };
    expect(() => checkEvalInputs(side([5], 'q'), short)).toThrow(
      '--g-labels g-labels.npy: holds 2 labels; expected 3, one per row of --g g.npy',
    );
  });
});
