import type { Matrix } from '@zs-sbir/io';
import { ClassVectorError } from '../errors.js';
import { resolveClassVector } from './resolve-class-vector.js';

/** Options of {@link classVectorMatrix}. */
export interface ClassVectorMatrixOptions {
  /** L2-normalise each source's vector before concatenating; default false. */
  l2Normalise?: boolean;
  /** Names of the sources, for error messages; default `source 1`, `source 2`, .... */
  sourceNames?: string[];
}

/** Scales `v` in place to unit L2 norm (a zero vector stays zero) and returns it. */
export function l2Normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}

/**
 * One row of class semantics per class: each source's vector ({@link resolveClassVector}),
 * optionally L2-normalised, concatenated in source order (e.g. word2vec 300-d + hieremb-path
 * 354-d = 654-d, as SEM-PCYC combines them).
 *
 * @returns `[classes.length, sum of source dims]`, row i for `classes[i]`.
 * @throws {ClassVectorError} listing every class without a vector, per source.
 */
export function classVectorMatrix(
  classes: readonly string[],
  sources: readonly Map<string, Float32Array>[],
  options: ClassVectorMatrixOptions = {},
): Matrix {
  if (sources.length === 0)
    throw new ClassVectorError('classVectorMatrix: no vector sources given');
  const rows: Float32Array[][] = classes.map(() => []);
  const missing: string[] = [];
  sources.forEach((source, s) => {
    const label = options.sourceNames?.[s] ?? `source ${s + 1}`;
    const lost: string[] = [];
    classes.forEach((c, i) => {
      const v = resolveClassVector(c, source);
      if (v) rows[i]!.push(options.l2Normalise ? l2Normalise(Float32Array.from(v)) : v);
      else lost.push(c);
    });
    if (lost.length > 0) missing.push(`${label}: ${lost.join(', ')}`);
  });
  if (missing.length > 0) {
    throw new ClassVectorError(`classes without a vector (${missing.join('; ')})`);
  }
  const cols = rows[0]!.reduce((a, v) => a + v.length, 0);
  const data = new Float32Array(classes.length * cols);
  rows.forEach((parts, i) => {
    let at = i * cols;
    if (parts.reduce((a, v) => a + v.length, 0) !== cols) {
      throw new ClassVectorError(`class '${classes[i]}': vector lengths differ between classes`);
    }
    for (const p of parts) {
      data.set(p, at);
      at += p.length;
    }
  });
  return { data, rows: classes.length, cols };
}
