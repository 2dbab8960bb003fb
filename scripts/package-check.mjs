#!/usr/bin/env node
// `npm run package:check`: builds the app and packages it with electron-builder's Linux `dir`
// target against a stand-in Electron (no Electron binary can be downloaded here), then opens the
// produced app.asar and checks that it carries what runs and nothing else. A real installer is
// built on a Windows runner (.github/workflows/release.yml) from the same electron-builder.yml.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import asar from '@electron/asar';

const root = resolve(import.meta.dirname, '..');
const started = Date.now();

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    console.error(`\npackage:check: \`${command} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

run('npm', ['run', '--silent', 'build']);

const work = mkdtempSync(join(tmpdir(), 'tw-package-'));
const electronDist = join(work, 'electron-dist');
const output = join(work, 'release');
try {
  // electron-builder's `dir` target only copies the distribution and renames its `electron`
  // executable, so an empty file is stand-in enough (found by experiment with 26.17).
  mkdirSync(electronDist);
  writeFileSync(join(electronDist, 'electron'), '');
  chmodSync(join(electronDist, 'electron'), 0o755);

  run(
    join(root, 'node_modules/.bin/electron-builder'),
    [
      '--linux',
      'dir',
      '--publish',
      'never',
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${output}`,
      // Rebuilding better-sqlite3 for Electron needs Electron's headers from the internet; the
      // release runner does it. Here the Node build goes in, which is enough to check contents.
      '-c.npmRebuild=false',
    ],
    existsSync('/usr/bin/7za') ? { ELECTRON_BUILDER_7ZIP_PATH: '/usr/bin/7za' } : {},
  );

  const resources = join(output, 'linux-unpacked/resources');
  const archive = join(resources, 'app.asar');
  const entries = asar.listPackage(archive, { isPack: false }).map((p) => p.replaceAll('\\', '/').replace(/^\/+/, ''));
  const files = entries.filter((p) => !entries.some((other) => other.startsWith(`${p}/`)));
  const problems = checkContents(entries, files, archive, resources);

  const ours = files.filter((f) => !f.startsWith('node_modules/'));
  const modules = [...new Set(files.filter((f) => f.startsWith('node_modules/')).map(topModule))].sort();
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log('\n== package:check');
  console.log(`app.asar: ${files.length} files, ${(readFileSync(archive).length / 1024 / 1024).toFixed(1)} MB`);
  console.log(`app files (${ours.length}):\n  ${ours.join('\n  ')}`);
  console.log(`production modules (${modules.length}): ${modules.join(', ')}`);
  console.log(`took ${seconds} s`);
  if (problems.length > 0) {
    console.error(`\nFAIL: ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
    process.exitCode = 1;
  } else {
    console.log('OK: main, preload and renderer are packaged; no sources, tests, maps, secrets or local data.');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

function topModule(file) {
  const parts = file.split('/');
  return parts[1]?.startsWith('@') ? `${parts[1]}/${parts[2]}` : parts[1];
}

function checkContents(entries, files, archive, resources) {
  const problems = [];
  const has = (path) => entries.includes(path);
  const manifest = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8'));

  for (const required of ['dist/main/index.cjs', 'dist/preload/index.cjs', 'dist/renderer/index.html', manifest.main]) {
    if (!has(required)) problems.push(`missing ${required}`);
  }
  if (!files.some((f) => /^dist\/renderer\/assets\/.+\.js$/.test(f))) problems.push('missing the renderer bundle (dist/renderer/assets/*.js)');

  // Outside node_modules only the build output and the manifest may be packaged: this is what
  // keeps sources, tests, benches and scripts out, whatever new folder appears in the repo.
  for (const file of files) {
    if (!file.startsWith('node_modules/') && !/^dist\/(main|preload|renderer)\//.test(file) && file !== 'package.json') {
      problems.push(`not build output: ${file}`);
    }
  }
  const unpacked = join(resources, 'app.asar.unpacked');
  const unpackedFiles = existsSync(unpacked) ? listTree(unpacked).map((f) => `unpacked/${f}`) : [];
  for (const file of [...files, ...unpackedFiles]) {
    if (/\.map$/.test(file)) problems.push(`source map: ${file}`);
    if (/\.(ts|tsx|mts|cts)$/.test(file)) problems.push(`TypeScript source: ${file}`);
    if (/(^|\/)(secrets\.sealed|\.env(\..*)?|\.data)(\/|$)/.test(file) || /\.(db|db-wal|db-shm|sqlite)$/.test(file)) {
      problems.push(`secret or local data: ${file}`);
    }
    if (!file.includes('node_modules/') && /\.(test|spec)\.[cm]?[jt]sx?$/.test(file)) problems.push(`test file: ${file}`);
  }

  // The renderer-only packages are bundled by vite; in app.asar they would be dead weight.
  for (const name of ['react', 'react-dom', 'zustand', '@zxing/browser', '@zxing/library']) {
    if (has(`node_modules/${name}`)) problems.push(`renderer-only package packaged: ${name}`);
  }
  // Whatever the main bundle still requires at run time must be in the package.
  const mainBundle = asar.extractFile(archive, 'dist/main/index.cjs').toString('utf8');
  const builtins = new Set([...builtinModules, 'electron']);
  for (const [, name] of mainBundle.matchAll(/require\(["']([^"'./][^"']*)["']\)/g)) {
    const pkg = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0];
    if (!name.startsWith('node:') && !builtins.has(pkg) && !has(`node_modules/${pkg}/package.json`)) {
      problems.push(`main requires ${pkg}, which is not packaged`);
    }
  }
  // A native addon cannot load from inside the archive.
  if (!existsSync(join(unpacked, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))) {
    problems.push('better_sqlite3.node is not unpacked next to app.asar');
  }
  return problems;
}

function listTree(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}
