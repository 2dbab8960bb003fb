import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

// Main and preload as CommonJS for Electron, built one at a time (`--mode preload` for the
// preload) because a sandboxed preload must be one self-contained file with no shared chunks.
// Native and Electron modules stay external; the rest is bundled so app.asar carries only what runs.
const external = ['electron', 'better-sqlite3', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default defineConfig(({ mode }) => {
  const input: Record<string, string> =
    mode === 'preload' ? { 'preload/index': 'electron/preload/index.ts' } : { 'main/index': 'electron/main/index.ts' };
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
