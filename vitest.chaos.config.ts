import { defineConfig } from 'vitest/config';

// `npm run test:chaos` (scripts/chaos.ts) runs these: kill -9, network and storage faults, bad
// input, clock jumps and a compressed soak, each against a real core, SQLite file and sandbox.
// One file at a time: they time and kill processes, and the machine has 2 cores.
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    execArgv: ['--expose-gc'],
    testTimeout: 900_000,
    hookTimeout: 60_000,
  },
});
