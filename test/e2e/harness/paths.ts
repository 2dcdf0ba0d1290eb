/** Paths the VS Code test harness shares (repo root, cached code-server, artifacts). */
import { join } from 'node:path';

/** Absolute path of the repository root. */
export const repoRoot = join(__dirname, '..', '..', '..');
/** code-server's Node entry point inside the cache of test/vscode/installCodeServer.mjs. */
export const codeServerEntry = join(
  repoRoot,
  '.cache',
  'code-server',
  'node_modules',
  'code-server',
  'out',
  'node',
  'entry.js',
);
/** One `<pgid>.json` per running code-server, so a later run can end groups whose owner died. */
export const runsDir = join(repoRoot, '.cache', 'vscode-runs');
/** Screenshots of UI tests (look at them). */
export const screenshotsDir = join(repoRoot, '.artifacts', 'screenshots');
/** The packaged extension `npm run package` writes. */
export const vsixPath = join(repoRoot, '.artifacts', 'loop-lens.vsix');
/** Debian's chromium (never `npx playwright install`). */
export const chromiumPath = process.env.LOOP_LENS_CHROMIUM ?? '/usr/bin/chromium';
