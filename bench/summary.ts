import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const SUMMARY_FILE = resolve(import.meta.dirname, 'out/summary.json');

export type Figures = Record<string, number | string | boolean | null>;

/** Adds figures to bench/out/summary.json, keeping every key other runs put there. */
export function mergeSummary(figures: Figures, file = SUMMARY_FILE): Figures {
  let current: Figures = {};
  try {
    current = JSON.parse(readFileSync(file, 'utf8')) as Figures;
  } catch {
    // First run, or a broken file: start afresh rather than fail the benchmark.
  }
  const next = { ...current, ...figures, updated_at: new Date().toISOString() };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`);
  return next;
}

export function printTable(title: string, figures: Figures): void {
  console.log(`\n${title}`);
  const width = Math.max(...Object.keys(figures).map((k) => k.length));
  for (const [key, value] of Object.entries(figures)) {
    const shown = typeof value === 'number' ? (Number.isInteger(value) ? String(value) : value.toFixed(3)) : String(value);
    console.log(`  ${key.padEnd(width)}  ${shown}`);
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
