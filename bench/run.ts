import { mergeSummary, printTable, type Figures } from './summary';

/**
 * `npm run bench` runs every suite; `-- --quick` runs the short versions (CI may use them);
 * `-- --only=outbox,history` picks suites. Each suite returns its figures, which are merged
 * into bench/out/summary.json as soon as it finishes, so one failing suite loses nothing else.
 * Speed is judged by ratios against a baseline measured in the same process, never by
 * absolute times on this shared machine.
 */
export interface BenchContext {
  quick: boolean;
  /** `--keep-seeded`: keep the growth series' seeded histories in bench/out for the next run. */
  keepSeeded: boolean;
}

type Suite = { name: string; load: () => Promise<{ run(ctx: BenchContext): Promise<Figures> }> };

const suites: Suite[] = [
  { name: 'outbox', load: () => import('./outbox.bench') },
  { name: 'history', load: () => import('./history.bench') },
  { name: 'scan-ui', load: () => import('./scan-ui.bench') },
  { name: 'coupon', load: () => import('./coupon.bench') },
  { name: 'day-view', load: () => import('./day-view.bench') },
  { name: 'core-process', load: () => import('./core-process.bench') },
  { name: 'start-ready', load: () => import('./start-ready.bench') },
  { name: 'hub-claims', load: () => import('./hub-claims.bench') },
  { name: 'growth', load: () => import('./growth.bench') },
];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const keepSeeded = args.includes('--keep-seeded');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');

let failed = false;
for (const suite of suites) {
  if (only && !only.includes(suite.name)) continue;
  const started = Date.now();
  try {
    const figures = await (await suite.load()).run({ quick, keepSeeded });
    mergeSummary(figures);
    printTable(`${suite.name}${quick ? ' (quick)' : ''} — ${((Date.now() - started) / 1000).toFixed(1)} s`, figures);
  } catch (error) {
    failed = true;
    console.error(`bench suite ${suite.name} failed:`, error);
  }
}
process.exit(failed ? 1 : 0);
