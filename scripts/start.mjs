#!/usr/bin/env node
// `npm start`: the Electron app when its binary is here (or can be fetched), else web mode.
// `npm run start:web`: web mode directly. Both build what they run first.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const webOnly = process.argv.includes('--web');

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function electronBinary() {
  const dir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(dir, 'path.txt');
  if (existsSync(pathFile)) {
    const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8'));
    if (existsSync(binary)) return binary;
  }
  // Electron 42+ downloads its binary on first use; offline that fails quickly.
  const fetched = spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: 'ignore', timeout: 120_000 });
  if (fetched.status === 0 && existsSync(pathFile)) return join(dir, 'dist', readFileSync(pathFile, 'utf8'));
  return undefined;
}

const binary = webOnly ? undefined : electronBinary();
if (!webOnly && !binary) {
  console.log('Electron binary not available on this machine (it cannot be downloaded here); starting web mode instead.');
}
if (binary) {
  run('npm', ['run', '--silent', 'build']);
  const child = spawn(binary, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  run('npm', ['run', '--silent', 'build:renderer']);
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/web/main.ts'], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
