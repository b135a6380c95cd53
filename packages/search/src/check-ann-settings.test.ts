import { describe, expect, it } from 'vitest';
import { annIndexFor } from './ann.js';
import { checkAnnSettings } from './check-ann-settings.js';

const graph = annIndexFor(1_000, 64); // IVF_HNSW_SQ, 1 partition, refineFactor 5
const pq = annIndexFor(1_000_000, 64); // IVF_PQ, 256 partitions

describe('checkAnnSettings', () => {
  it('passes the settings given, and nothing for the index defaults', () => {
    expect(checkAnnSettings({}, pq)).toEqual({});
    expect(checkAnnSettings({ nprobes: 16 }, pq)).toEqual({ nprobes: 16 });
    expect(checkAnnSettings({ nprobes: 256 }, pq)).toEqual({ nprobes: 256 });
    expect(checkAnnSettings({ k: 20, ef: 100, nprobes: 1 }, graph)).toEqual({
      ef: 100,
      nprobes: 1,
    });
  });

  it('refuses partitions the index does not have', () => {
    expect(() => checkAnnSettings({ nprobes: 257 }, pq)).toThrow(
      'nprobes 257: the index has 256 partitions (IVF_PQ)',
    );
    expect(() => checkAnnSettings({ nprobes: 2 }, graph)).toThrow(
      'nprobes 2: the index has 1 partition (IVF_HNSW_SQ)',
    );
  });

  it('refuses ef on an IVF-PQ index, and below the candidates re-ranked on a graph', () => {
    expect(() => checkAnnSettings({ ef: 500 }, pq)).toThrow(
      'ef 500: applies to an IVF_HNSW_SQ index; this one is IVF_PQ',
    );
    expect(() => checkAnnSettings({ k: 20, ef: 99 }, graph)).toThrow(
      'ef 99: expected at least k x refineFactor = 100 (the candidates re-ranked)',
    );
  });

  it('refuses values that are not positive integers, even where they would be ignored', () => {
    for (const ann of [pq, null]) {
      expect(() => checkAnnSettings({ nprobes: 0 }, ann)).toThrow(
        'nprobes 0: expected a positive integer (partitions searched)',
      );
      expect(() => checkAnnSettings({ ef: 2.5 }, ann)).toThrow(
        'ef 2.5: expected a positive integer (graph candidates)',
      );
    }
  });

  it('ignores valid settings for an exact search', () => {
    expect(checkAnnSettings({ nprobes: 999, ef: 1 }, null)).toEqual({});
    expect(checkAnnSettings({ nprobes: 999, ef: 1, exact: true }, pq)).toEqual({});
  });
});
