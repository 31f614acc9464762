import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * One build, served as static files by both the office node and the central node.
 * In `vite dev`, /api is proxied to the node named by TANGGUH_API (default: a local office node).
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
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
