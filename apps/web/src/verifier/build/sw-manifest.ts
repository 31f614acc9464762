import type { Plugin } from 'vite';

/**
 * Writes dist/sw-manifest.json: every file the build put under assets/, so the service worker
 * (public/sw.js) can precache the content-hashed names, lazily loaded chunks included, at install.
 */
export function serviceWorkerManifest(): Plugin {
  return {
    name: 'tangguh-sw-manifest',
    apply: 'build',
    generateBundle(_options, bundle) {
      const assets = Object.keys(bundle)
        .filter((fileName) => fileName.startsWith('assets/'))
        .sort()
        .map((fileName) => `/${fileName}`);
      this.emitFile({ type: 'asset', fileName: 'sw-manifest.json', source: `${JSON.stringify({ assets }, null, 2)}\n` });
    },
  };
}
