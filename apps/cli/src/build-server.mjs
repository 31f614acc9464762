// `npm run build:server`: the CLI, the centre, the office and their worker threads compiled to plain JavaScript
// in dist/server (git-ignored), so `npm start` runs them with bare Node rather than under the TypeScript loader
// (tsx keeps a hooks thread and its compiler in every process: ~30 MiB resident per node, more heap).
//
// The workspace packages (@tangguh/*, TypeScript) are bundled; npm dependencies stay external and load from
// node_modules as before. `import.meta.url` in a bundled module is replaced with its source file's URL, so paths
// it resolves (the web build, node_modules of a package, the repository root) stay what they were; the two
// worker-thread entries are built beside the mains and their spawn sites are pointed at the built files.
// Plain Node runs this file (esbuild comes with tsx), so a fresh checkout builds with one command.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const SERVER_BUILD = fileURLToPath(new URL('../../../dist/server/', import.meta.url));

/** Worker entries referenced as `new URL('<source>', import.meta.url)` and the built file each runs instead. */
const WORKER_ENTRIES = {
  './upload-worker.ts': './upload-worker.mjs',
  './shard-worker-boot.mjs': './shard-worker.mjs',
};

/** @type {import('esbuild').Plugin} */
const workspaceOnly = {
  name: 'tangguh-workspace',
  setup(b) {
    // npm packages stay external; @tangguh/* are bundled from their TypeScript sources.
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@tangguh/') ? undefined : { path: args.path, external: true }));
    b.onLoad({ filter: /\.(ts|mjs)$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      let text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      for (const [source, built] of Object.entries(WORKER_ENTRIES)) {
        // The built worker, by its absolute location (the code may end up in a shared chunk elsewhere in the folder).
        text = text.replaceAll(`new URL('${source}', import.meta.url)`, `new URL(${JSON.stringify(pathToFileURL(SERVER_BUILD + built.slice(2)).href)})`);
      }
      text = text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
      return { contents: text, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
    });
  },
};

export async function buildServer() {
  const started = performance.now();
  await rm(SERVER_BUILD, { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: {
      cli: 'apps/cli/src/main.ts',
      office: 'apps/office/src/main.ts',
      central: 'apps/central/src/main.ts',
      'upload-worker': 'packages/platform/src/upload-worker.ts',
      'shard-worker': 'packages/matcher/src/shard-worker.ts',
    },
    outdir: SERVER_BUILD,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [workspaceOnly],
    // Lets the CLI start the other nodes from the build (apps/cli/src/stack.ts).
    define: { 'process.env.TANGGUH_SERVER_BUILD': JSON.stringify(SERVER_BUILD) },
    // Some CommonJS-only dependencies are required from ESM output: give the bundle a require.
    banner: { js: "import { createRequire as __tangguhCreateRequire } from 'node:module'; const require = __tangguhCreateRequire(import.meta.url);" },
  });
  return performance.now() - started;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ms = await buildServer();
  console.log(`server built in ${(ms / 1000).toFixed(1)} s → dist/server`);
}
