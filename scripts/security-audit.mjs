#!/usr/bin/env node
// `npm run audit:security`: two checks that fail CI on a security finding nobody has looked at.
//  1. electronegativity over the Electron sources (main, preload, core, web): every HIGH or MEDIUM
//     finding must be explained in security/electronegativity-accepted.json (check id + file).
//  2. `npm audit --omit=dev`: every advisory for a production package must be explained in
//     security/npm-audit.md. When the audit endpoint cannot be reached (these machines only reach
//     the registry's package documents), that is said plainly and does not fail the run.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
// The CLI's CSV writer races its own header write and can drop rows, so the runner is called
// directly: same checks, findings as objects.
import electronegativityRunner from '@doyensec/electronegativity/dist/runner.js';

const root = resolve(import.meta.dirname, '..');
const GATING = new Set(['HIGH', 'MEDIUM']);
let failed = false;

console.log('== electronegativity (electron/)');
const accepted = JSON.parse(readFileSync(join(root, 'security/electronegativity-accepted.json'), 'utf8'));
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const run = electronegativityRunner.default ?? electronegativityRunner;
const scan = await quietly(() =>
  run(
    {
      input: join(root, 'electron'),
      customScan: [],
      excludeFromScan: [],
      isRelative: true,
      isVerbose: false,
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    },
    false,
  ),
);
if (scan.errors.length > 0) {
  console.log(`  could not parse ${scan.errors.length} file(s): ${scan.errors.map((e) => e.file).join(', ')}`);
  failed = true;
}
const used = new Set();
for (const issue of scan.issues) {
  const where = `${issue.file}:${issue.location.line}`;
  const entry = accepted.findIndex((a) => a.check === issue.id && a.file === issue.file);
  const gating = GATING.has(issue.severity.name);
  if (entry >= 0) used.add(entry);
  const verdict = !gating ? 'info' : entry >= 0 ? 'accepted' : 'UNEXPLAINED';
  console.log(`  ${verdict.padEnd(11)} ${issue.severity.name.padEnd(6)} ${issue.id} ${where}`);
  if (gating && entry < 0) failed = true;
}
accepted.forEach((a, i) => {
  if (!used.has(i))
    console.log(`  stale entry in electronegativity-accepted.json: ${a.check} ${a.file} (no such finding any more)`);
});
console.log(`  ${scan.issues.length} finding(s) from ${scan.atomicChecks + scan.globalChecks} checks`);

console.log('== npm audit --omit=dev');
const audit = spawnSync('npm', ['audit', '--omit=dev', '--json'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
let report;
try {
  report = JSON.parse(audit.stdout);
} catch {
  report = undefined;
}
if (!report?.vulnerabilities) {
  const reason = report?.message ?? (audit.error?.message || audit.stderr.trim().split('\n').pop() || `exit ${audit.status}`);
  console.log(`  NOT RUN: the npm audit endpoint is unreachable from this machine (${reason}).`);
  console.log('  This is not a pass: run `npm audit --omit=dev` where the endpoint answers (the release runner).');
} else {
  const explained = readFileSync(join(root, 'security/npm-audit.md'), 'utf8');
  const findings = Object.values(report.vulnerabilities);
  for (const v of findings) {
    const ok = explained.includes(`\`${v.name}\``);
    console.log(`  ${ok ? 'explained' : 'UNEXPLAINED'} ${v.severity} ${v.name} ${v.range}`);
    if (!ok) failed = true;
  }
  console.log(`  ${findings.length} vulnerable production package(s)`);
}

if (failed) {
  console.error('\nFAIL: explain each finding (or fix it) in security/electronegativity-accepted.json or security/npm-audit.md');
  process.exit(1);
}
console.log(
  '\nOK: no unexplained HIGH or MEDIUM electronegativity finding; npm audit findings all explained (or audit not reachable, see above).',
);
// The verdict is in. electronegativity's update check (got + p-cancelable) can still throw from a
// timer on Node 24 after it gave up on the network; that is not a finding, so it must not fail us.
process.exit(0);

/** electronegativity prints progress and network complaints; keep only our own report. */
async function quietly(fn) {
  const { log, warn, error } = console;
  const writeOut = process.stdout.write.bind(process.stdout);
  console.log = console.warn = console.error = () => {};
  process.stdout.write = () => true;
  try {
    return await fn();
  } finally {
    Object.assign(console, { log, warn, error });
    process.stdout.write = writeOut;
  }
}
