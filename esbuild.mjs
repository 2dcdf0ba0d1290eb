// One build script, one bundle per entry point.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
/** `--only=cli` builds dist/cli.js alone (`npm pack` ships only the CLI). */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

/** Prints errors in the shape VS Code's esbuild problem matcher expects. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/** `ts-morph` → scripts/build/tsMorphTs.cjs: its TypeScript without the rest of ts-morph. */
const tsOnly = {
  name: 'ts-morph-ts-only',
  setup(build) {
    const shim = fileURLToPath(new URL('./scripts/build/tsMorphTs.cjs', import.meta.url));
    build.onResolve({ filter: /^ts-morph$/ }, () => ({ path: shim }));
  },
};

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: production,
  logLevel: watch ? 'silent' : 'warning',
  external: ['vscode'],
  plugins: watch ? [tsOnly, problemMatcher] : [tsOnly],
};

/** [entry, outfile, extra options]; entries that do not exist yet are skipped. */
const entries = [
  ['src/extension.ts', 'dist/extension.js', node],
  // dist/server.js is a small loader that runs dist/serverCore.js through a V8 code cache.
  ['server/src/main.ts', 'dist/server.js', node],
  ['server/src/server.ts', 'dist/serverCore.js', node],
  // The language server's scan summarises files in this worker thread.
  ['server/src/summaryWorker.ts', 'dist/summaryWorker.js', node],
  ['server/src/summaryWorkerCore.ts', 'dist/summaryWorkerCore.js', node],
  ['src/cli/main.ts', 'dist/cli.js', node],
  ['src/debug/adapterMain.ts', 'dist/adapter.js', node],
  [
    'media/src/main.ts',
    'media/dist/main.js',
    { ...node, platform: 'browser', format: 'iife', external: [] },
  ],
];

const contexts = await Promise.all(
  entries
    .filter(([entry, outfile]) => existsSync(entry) && (!only || outfile === `dist/${only}.js`))
    .map(([entry, outfile, opts]) => esbuild.context({ ...opts, entryPoints: [entry], outfile })),
);
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
