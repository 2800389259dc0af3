import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// The window loads the panel from the engine's own /ui (one origin in both hosts), so the
// renderer is built with a relative base. The sandboxed preload must be CommonJS.
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // the desktop main process, and the headless CLI bundled from the same engine sources
        // (plain JS starts leaner than type-stripped TypeScript: see README, Benchmarks)
        input: { index: resolve(__dirname, 'src/main/index.ts'), cli: resolve(__dirname, 'src/cli/main.ts') },
        external: ['better-sqlite3', 'undici', 'lru-cache'],
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    base: './',
    plugins: [react()],
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
