import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import { parseFileList } from './file-list.js';

describe('parseFileList', () => {
  it('takes the last field as the label and keeps spaces in paths', () => {
    const text =
      'png_ready/alarm clock/141.png 2\r\n\npng_ready/pipe (for smoking)/12663.png 136\n';
    expect(parseFileList(text, 'list.txt')).toEqual([
      { path: 'png_ready/alarm clock/141.png', label: 2, line: 1 },
      { path: 'png_ready/pipe (for smoking)/12663.png', label: 136, line: 3 },
    ]);
  });

  it('names the file and line of a malformed entry', () => {
    expect(() => parseFileList('a.png 1\nb.png x\n', 'zero.txt')).toThrow(DatasetError);
    expect(() => parseFileList('a.png 1\nb.png x\n', 'zero.txt')).toThrow(/zero\.txt:2/);
  });
});
