import { describe, expect, it } from 'vitest';
import { PhaseClock, phaseTable } from './phase-clock.js';

describe('PhaseClock', () => {
  it('times phases one after another, also one that throws, and adds a job’s phases', async () => {
    let t = 1_000_000;
    const clock = new PhaseClock(() => t);
    t += 500;
    clock.start('dataset qd-emoji');
    t += 2000;
    clock.start('features sketch');
    t += 3000;
    clock.end();
    clock.end();
    await expect(
      clock.time('evaluate chance', async () => {
        t += 250;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    clock.start('train jobs');
    t += 10_000;
    clock.end();
    // A job that started 6 s after this clock: its phases are shifted onto it.
    clock.add([{ name: 'wad-cmsn: train', start: 1, seconds: 4 }], 1_006_000, 'train jobs', 300);
    // Another job, started earlier, whose phases interleave with the first one's in time.
    clock.add(
      [
        { name: 'no-critic: dataset qd-emoji', start: 0.5, seconds: 1 },
        { name: 'no-critic: train', start: 1.5, seconds: 3 },
      ],
      1_006_000,
      'train jobs',
      280,
    );
    t += 100;
    expect(clock.elapsed()).toBe(15.85);
    expect(clock.phases()).toEqual([
      { name: 'dataset qd-emoji', start: 0.5, seconds: 2 },
      { name: 'features sketch', start: 2.5, seconds: 3 },
      { name: 'evaluate chance', start: 5.5, seconds: 0.25 },
      { name: 'train jobs', start: 5.75, seconds: 10 },
      {
        name: 'no-critic: dataset qd-emoji',
        start: 6.5,
        seconds: 1,
        within: 'train jobs',
        peakRssMiB: 280,
      },
      { name: 'wad-cmsn: train', start: 7, seconds: 4, within: 'train jobs', peakRssMiB: 300 },
      { name: 'no-critic: train', start: 7.5, seconds: 3, within: 'train jobs', peakRssMiB: 280 },
    ]);
    expect(
      phaseTable({ phases: clock.phases(), totalSeconds: clock.elapsed(), peakRssMiB: 512 }),
    ).toBe(
      [
        '| phase | time | share | memory |',
        '| --- | --- | --- | --- |',
        '| dataset qd-emoji | 2.0s | 13% |  |',
        '| features sketch | 3.0s | 19% |  |',
        '| evaluate chance | 0.3s | 2% |  |',
        '| train jobs | 10s | 63% |  |',
        '|   no-critic: dataset qd-emoji | 1.0s |  | job peak 280 MiB |',
        '|   no-critic: train | 3.0s |  |  |',
        '|   wad-cmsn: train | 4.0s |  | job peak 300 MiB |',
        '| other | 0.6s | 4% |  |',
        '| total | 16s | 100% | peak 512 MiB |',
      ].join('\n'),
    );
  });
});
