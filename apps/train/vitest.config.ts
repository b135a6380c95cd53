import { defineConfig } from 'vitest/config';

// Training tests run real (small) training loops; under `npm test` many suites share two cores.
export default defineConfig({ test: { testTimeout: 120_000 } });
