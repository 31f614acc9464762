import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { serviceWorkerManifest } from './src/verifier/build/sw-manifest.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * One build, served as static files by both the office node and the central node.
 * In `vite dev`, /api is proxied to the node named by TANGGUH_API (default: a local office node).
 */
export default defineConfig({
  root,
  base: '/',
  // sw-manifest.json lists the hashed assets for the verifier's service worker (public/sw.js).
  plugins: [react(), serviceWorkerManifest()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': { target: process.env.TANGGUH_API ?? 'http://127.0.0.1:7200', changeOrigin: false },
    },
  },
});
