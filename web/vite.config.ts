import { defineConfig } from 'vite';

// `vite build web`: built into web/dist, served by Nest at / (src/web-ui.ts). No CDN: everything is bundled.
export default defineConfig({
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true, assetsInlineLimit: 0, modulePreload: { polyfill: false } },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
});
