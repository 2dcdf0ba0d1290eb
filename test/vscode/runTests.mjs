#!/usr/bin/env node
// The `vscode` test stage: mocha suites (test/vscode/suite/*.test.ts) inside a real VS Code
// extension host, run through @vscode/test-electron's runTests with launcher/code as the
// "VS Code executable" (code-server 4.100.3 + headless chromium, see launcher/launch.ts).
// The extension under test is the PACKAGED one: npm run package, then the .vsix is installed
// and its installed folder is the extensionDevelopmentPath. LOOP_LENS_TEST_UNPACKED=1 uses the
// repository folder instead (quicker while editing). Writes out/test-results/vscode.json.
// Elsewhere the same suite runs on desktop VS Code: LOOP_LENS_VSCODE_EXECUTABLE=<path to code>
// uses that binary, LOOP_LENS_VSCODE_VERSION=stable (or 1.100.3, ...) lets @vscode/test-electron
// download it (not possible on this offline machine).
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { codeServerEntry, installCodeServer } from './installCodeServer.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const results = join(root, 'out', 'test-results');
const suiteOut = join(root, 'out', 'test', 'vscode', 'suite');
const mochaResults = join(results, 'vscode-mocha.json');

function writeResult(passed, failed, skipped = 0) {
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, 'vscode.json'), JSON.stringify({ passed, failed, skipped }) + '\n');
}

/** Compiles the suite file by file (mocha and vscode stay runtime requires). */
async function compileSuite() {
  const dir = join(root, 'test', 'vscode', 'suite');
  const entryPoints = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
  // The suite's helpers share test/waitFor.ts with the other stages (kept at ../../waitFor).
  entryPoints.push(join(root, 'test', 'waitFor.ts'));
  rmSync(suiteOut, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outbase: join(root, 'test'),
    outdir: join(root, 'out', 'test'),
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

/** Packages the extension and installs the .vsix; returns the installed extension's folder. */
function installPackagedExtension() {
  // LOOP_LENS_PACKAGE_NO_BUILD=1 packages the bundles as built (skips the production build).
  const noBuild = process.env.LOOP_LENS_PACKAGE_NO_BUILD === '1' ? ['--no-build'] : [];
  const pkg = spawnSync(process.execPath, [join(root, 'scripts', 'package.mjs'), ...noBuild], {
    cwd: root,
    stdio: 'inherit',
  });
  if (pkg.status !== 0) throw new Error('npm run package failed');
  const dir = mkdtempSync(join(tmpdir(), 'loop-lens-vsix-'));
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(dir, 'xdg'),
    XDG_DATA_HOME: join(dir, 'xdg'),
  };
  const args = [
    codeServerEntry,
    '--extensions-dir',
    join(dir, 'ext'),
    '--user-data-dir',
    join(dir, 'data'),
    '--install-extension',
    join(root, '.artifacts', 'loop-lens.vsix'),
  ];
  const r = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  const installed = existsSync(join(dir, 'ext'))
    ? readdirSync(join(dir, 'ext')).find((n) => n.startsWith('loop-lens.loop-lens-'))
    : undefined;
  if (r.status !== 0 || !installed)
    throw new Error(`installing the .vsix failed: ${r.stdout}${r.stderr}`);
  return {
    path: join(dir, 'ext', installed),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** runTests options choosing the VS Code: our code-server launcher unless told otherwise. */
function vscodeToUse() {
  const exe = process.env.LOOP_LENS_VSCODE_EXECUTABLE;
  const version = process.env.LOOP_LENS_VSCODE_VERSION;
  if (exe) return { vscodeExecutablePath: exe };
  if (version) return { version };
  return { vscodeExecutablePath: join(root, 'test', 'vscode', 'launcher', 'code') };
}

async function main() {
  installCodeServer();
  await compileSuite();
  const unpacked = process.env.LOOP_LENS_TEST_UNPACKED === '1';
  const ext = unpacked ? { path: root, cleanup() {} } : installPackagedExtension();
  rmSync(mochaResults, { force: true });
  const t0 = Date.now();
  let code;
  try {
    code = await runTests({
      ...vscodeToUse(),
      extensionDevelopmentPath: ext.path,
      extensionTestsPath: join(suiteOut, 'index'),
      launchArgs: [join(root, 'test', 'fixtures', 'workspace')],
      extensionTestsEnv: {
        LOOP_LENS_TEST_RESULTS: mochaResults,
        LOOP_LENS_REPO: root,
        LOOP_LENS_PACKAGED: unpacked ? '0' : '1',
      },
    });
  } catch (err) {
    code = typeof err?.code === 'number' ? err.code : 1;
    console.error(`vscode: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    ext.cleanup();
  }
  const stats = existsSync(mochaResults)
    ? JSON.parse(readFileSync(mochaResults, 'utf8'))
    : undefined;
  const passed = stats?.passed ?? 0;
  // No results file means the suite never ran (launcher or activation failure): count it.
  const failed = stats ? stats.failed + (code !== 0 && stats.failed === 0 ? 1 : 0) : 1;
  writeResult(passed, failed);
  console.log(
    `vscode: ${passed} passed, ${failed} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s (exit ${code})`,
  );
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`vscode: ${err instanceof Error ? err.message : String(err)}`);
    writeResult(0, 1);
    process.exit(1);
  },
);
