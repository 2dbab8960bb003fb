import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

// Main, the core's utility-process entry (`--mode host`), its export thread (`--mode export-worker`)
// and preload as CommonJS for Electron, built one at a time (`--mode preload` for the preload)
// because a sandboxed preload must be one self-contained file with no shared chunks.
// Native and Electron modules stay external; the rest is bundled so app.asar carries only what runs.
const external = ['electron', 'better-sqlite3', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default defineConfig(({ mode }) => {
  const entries: Record<string, Record<string, string>> = {
    preload: { 'preload/index': 'electron/preload/index.ts' },
    host: { 'host/index': 'electron/host/index.ts' },
    // The export thread's script, found beside the host's bundle (export-thread.ts).
    'export-worker': { 'host/export-worker': 'electron/core/supervisor/export-worker.ts' },
  };
  const input = entries[mode] ?? { 'main/index': 'electron/main/index.ts' };
  return {
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      sourcemap: false,
      minify: false,
      target: 'node22',
      ssr: true,
      rollupOptions: {
        input,
        external,
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
      },
    },
    ssr: { noExternal: true, external: ['better-sqlite3'] },
  };
});
