// `npm start`, record step: runs the demo service (examples/demo-service) with the inspector on
// loopback, records it with the built CLI for a few seconds while a short, bounded load hits its
// blocking routes and healthy ones, prints the stalls and says where the HTML report is.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const demo = join(root, 'examples/demo-service');
const server = join(demo, 'dist/server.js');
const RECORD_S = 8;
const LOAD_MS = 6000;

function build() {
  if (existsSync(server)) return true;
  console.log('Building the demo service (tsc -p examples/demo-service)…');
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  return spawnSync(process.execPath, [tsc, '-p', demo], { stdio: 'inherit' }).status === 0;
}

/** Resolves with the first match of `re` in a child's stream (text is also forwarded). */
function watch(stream, re, forward) {
  let buf = '';
  return new Promise((resolve) => {
    stream.setEncoding('utf8');
    stream.on('data', (d) => {
      if (forward) forward.write(d);
      buf += d;
      const m = re.exec(buf);
      if (m) {
        re = /$^/; // resolve once, keep forwarding
        resolve(m);
      }
    });
  });
}

async function get(base, path) {
  try {
    const res = await fetch(base + path, { signal: AbortSignal.timeout(5000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Blocking routes a few times each, healthy ones in between, all bounded in time and count. */
async function drive(base) {
  // alice/wonderland is the demo's one account: only a known user reaches pbkdf2Sync.
  const blocking = [
    '/render?name=ada',
    '/login?user=alice&password=wonderland',
    '/report',
    '/export',
    '/files',
    '/login?user=alice&password=wrong',
  ];
  const healthy = ['/items', '/health', '/items', '/health'];
  const end = Date.now() + LOAD_MS;
  const counts = { blocking: 0, healthy: 0, failed: 0 };
  const healthyLoop = async () => {
    while (Date.now() < end && counts.healthy < 5000) {
      if ((await get(base, healthy[counts.healthy % healthy.length])) === 200) counts.healthy++;
      else counts.failed++;
    }
  };
  const blockingLoop = async () => {
    for (let i = 0; Date.now() < end && i < 40; i++) {
      if ((await get(base, blocking[i % blocking.length])) > 0) counts.blocking++;
      else counts.failed++;
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  await Promise.all([healthyLoop(), healthyLoop(), blockingLoop()]);
  return counts;
}

async function main() {
  if (!build()) return 2;
  mkdirSync(join(root, '.artifacts'), { recursive: true });
  console.log('\n== loop-lens record: the demo service under a short load ==');
  const app = spawn(process.execPath, ['--inspect=127.0.0.1:0', server], {
    cwd: root,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [, inspectPort] = await watch(
    app.stderr,
    /Debugger listening on ws:\/\/127\.0\.0\.1:(\d+)\//,
  );
  const [, base] = await watch(app.stdout, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  const html = '.artifacts/demo-report.html';
  const out = '.artifacts/demo-recording.json';
  const args = [
    join(root, 'bin/loop-lens.js'),
    'record',
    '--port',
    inspectPort,
    '--duration',
    String(RECORD_S),
    '--html',
    html,
    '--out',
    out,
  ];
  console.log(`$ loop-lens ${args.slice(1).join(' ')}`);
  const rec = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'pipe'] });
  const exited = new Promise((r) => rec.on('close', (code) => r(code)));
  const started = await Promise.race([
    watch(rec.stderr, /^Recording /m, process.stderr),
    exited.then(() => null),
  ]);
  let code;
  if (started) {
    const counts = await drive(base);
    console.log(
      `(load: ${counts.blocking} blocking + ${counts.healthy} healthy requests answered, ${counts.failed} failed)`,
    );
    code = await exited;
  } else code = await exited;
  app.kill('SIGTERM');
  if (code === 0)
    console.log(`\nHTML report: ${join(root, html)}\nRecording:   ${join(root, out)}`);
  else console.log(`\nloop-lens record exited with ${code}`);
  return code ?? 2;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`startRecord: ${err instanceof Error ? err.stack : err}`);
    process.exit(2);
  },
);
