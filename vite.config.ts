import { defineConfig } from 'vite';

// The renderer: plain browser code, bundled to dist/renderer and served by app:// in Electron
// or by the web transport. No Node, no Electron here.
export default defineConfig({
  root: 'renderer',
  base: './',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
    target: 'chrome130',
    chunkSizeWarningLimit: 1024,
  },
});
