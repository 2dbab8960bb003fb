// `npm run test:chaos` — the chaos suite CI runs (short); `npm run test:chaos -- --full` — the
// long one (60 kill rounds, 8 simulated hours of soak). Runs test/chaos under Vitest, one file at
// a time, then prints the figures the files merged into bench/out/summary.json.
// Options: --full, --seed=<n> (replay a storm), any other argument goes to Vitest (e.g. a file).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { mergeSummary, printTable, SUMMARY_FILE, type Figures } from '../bench/summary';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const full = args.includes('--full');
const seed = args.find((a) => a.startsWith('--seed='))?.slice('--seed='.length) ?? String(Date.now() % 2 ** 31);
const passThrough = args.filter((a) => a !== '--full' && !a.startsWith('--seed='));

const isOurs = (key: string) => key.startsWith('chaos_') || key.startsWith('soak_');
// Figures of an earlier run must not pass for this one's if a file fails before it reports.
mergeSummary(
  Object.fromEntries(
    Object.keys(readSummary())
      .filter(isOurs)
      .map((k) => [k, null]),
  ),
);

console.log(`chaos: ${full ? 'full' : 'ci'} run, seed ${seed} (replay with --seed=${seed})`);
const started = Date.now();
const run = spawnSync(
  process.execPath,
  [resolve(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '-c', 'vitest.chaos.config.ts', ...passThrough],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, CHAOS_FULL: full ? '1' : '0', CHAOS_SEED: seed } },
);
const passed = run.status === 0;
const seconds = Math.round((Date.now() - started) / 1000);
mergeSummary({ chaos_mode: full ? 'full' : 'ci', chaos_seed: Number(seed), chaos_passed: passed, chaos_wall_seconds: seconds });

const ours = Object.fromEntries(Object.entries(readSummary()).filter(([k, v]) => isOurs(k) && v !== null));
printTable(`chaos figures (${full ? 'full' : 'ci'}, ${seconds} s, ${passed ? 'passed' : 'FAILED'}) — ${SUMMARY_FILE}`, ours);
process.exit(run.status ?? 1);

function readSummary(): Figures {
  try {
    return JSON.parse(readFileSync(SUMMARY_FILE, 'utf8')) as Figures;
  } catch {
    return {};
  }
}
