#!/usr/bin/env node
// `npm run demo:vscode`: the demo service of examples/demo-service under a gentle, bounded load,
// and a real VS Code (code-server 4.100.3 on 127.0.0.1) with the packaged Loop Lens installed and
// the demo folder open. Prints the URL; Ctrl-C ends everything it started.
// The service runs with --inspect-port=0 but no open inspector: "Loop Lens: Attach to Node
// Process…" opens it with SIGUSR1 on a free port, as it would for any running service.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import harness from '../test/e2e/harness/index.ts';
import { installCodeServer } from '../test/vscode/installCodeServer.mjs';

// The harness is CommonJS TypeScript (loaded through tsx): take its exports off the default.
const { ensureVsix, startCodeServer } = harness;

const root = new URL('..', import.meta.url).pathname;
const demo = join(root, 'examples', 'demo-service');
const server = join(demo, 'dist', 'server.js');

function step(what, cmd, args) {
  console.log(`demo:vscode: ${what}…`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal})`);
}

/** Starts the demo service; resolves with its base URL. */
function startService() {
  const app = spawn(process.execPath, ['--enable-source-maps', '--inspect-port=0', server], {
    cwd: demo,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    app.once('exit', (c) => reject(new Error(`the demo service exited (${c})`)));
    app.stdout.setEncoding('utf8');
    app.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ app, base: m[1] });
    });
  });
}

/** Healthy requests at a few per second and one blocking route every 1.5 s, until stopped. */
function startLoad(base) {
  const blocking = [
    '/render?name=ada',
    '/login?user=alice&password=wonderland',
    '/report',
    '/files',
    '/export',
  ];
  const healthy = ['/items', '/health'];
  let stop = false;
  const get = (p) =>
    fetch(base + p, { signal: AbortSignal.timeout(10_000) })
      .then((r) => r.arrayBuffer())
      .catch(() => undefined);
  const loop = async (paths, gapMs) => {
    for (let i = 0; !stop; i++) {
      await get(paths[i % paths.length]);
      await new Promise((r) => setTimeout(r, gapMs));
    }
  };
  void loop(healthy, 200);
  void loop(blocking, 1500);
  return () => (stop = true);
}

async function main() {
  step('building the extension', 'npm', ['run', '-s', 'build']);
  if (!existsSync(server))
    step('building the demo service', process.execPath, [
      join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      demo,
    ]);
  installCodeServer();
  const vsix = ensureVsix();
  const { app, base } = await startService();
  const stopLoad = startLoad(base);
  const cs = await startCodeServer({
    workspace: demo,
    copyWorkspace: false, // the running service's files, so blamed lines open in this folder
    vsix: [vsix],
    settings: { 'workbench.colorTheme': 'Default Dark Modern' },
  });
  const url = cs.workbenchUrl();
  console.log(`
Loop Lens demo is running.
  VS Code:       ${url}
  demo service:  ${base} (pid ${app.pid}, under a light load with blocking requests)
Open the URL in a browser (Chromium, Firefox), then:
  1. F1 → "Loop Lens: Attach to Node Process…" → pick pid ${app.pid} (node … dist/server.js)
  2. watch the Event Loop sidebar and the Stalls tree fill; click a hotspot to land on the line
  3. "Loop Lens: Stop Recording", "Save Recording…", or F5 with a loop-lens launch.json entry
Ctrl-C stops the service, the load and VS Code.`);
  let ending = false;
  const end = async () => {
    if (ending) return;
    ending = true;
    stopLoad();
    app.kill();
    await cs.stop();
    process.exit(0);
  };
  process.on('SIGINT', end);
  process.on('SIGTERM', end);
  app.once('exit', () => {
    console.error('demo:vscode: the demo service exited');
    void end();
  });
}

main().catch((e) => {
  console.error(`demo:vscode: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
