// Builds the portal into dist/ (served by carebroker from its web root). Nothing is fetched at
// run time: one HTML page, one script, one style sheet, all from the server itself.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    assetsInlineLimit: 0,
  },
});
