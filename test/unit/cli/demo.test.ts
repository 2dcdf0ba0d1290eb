/**
 * The demo service: it compiles with source maps, serves every route, and `loop-lens check`
 * finds each blocking mistake in it while leaving the startup code and the healthy routes alone.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { buildCli, repoRoot, runCli } from './cliHarness';

const demo = join(repoRoot, 'examples', 'demo-service');
const src = join(demo, 'src');

interface Found {
  file: string;
  line: number;
  rule: string;
  api: string;
  chain: { name: string }[];
}

async function buildDemo(): Promise<void> {
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  await promisify(execFile)(process.execPath, [tsc, '-p', demo], { cwd: repoRoot });
}

describe('demo service', () => {
  let findings: Found[] = [];

  before(
    async () => {
      await Promise.all([buildCli(), buildDemo()]);
      const run = await runCli(['check', src, '--format', 'json', '--fail-on', 'none'], {
        cwd: repoRoot,
      });
      assert.equal(run.code, 0, run.stderr);
      findings = (JSON.parse(run.stdout) as { findings: Found[] }).findings;
    },
    { timeout: 600_000 },
  );

  const inFile = (rel: string): Found[] => findings.filter((f) => f.file === join(src, rel));

  test('compiles to dist/ with source maps', () => {
    assert.ok(existsSync(join(demo, 'dist', 'server.js')));
    assert.ok(existsSync(join(demo, 'dist', 'server.js.map')));
    assert.ok(existsSync(join(demo, 'dist', 'routes', 'login.js.map')));
  });

  test('finds the template read one helper away: handleRender → render → loadTemplate → readFileSync', () => {
    const [f] = inFile('routes/render.ts');
    assert.ok(f, JSON.stringify(findings, null, 1));
    assert.equal(f.rule, 'sync-fs');
    assert.ok(
      f.chain.some((s) => s.name === 'loadTemplate'),
      JSON.stringify(f.chain),
    );
    assert.match(f.chain[f.chain.length - 1].name, /readFileSync/);
  });

  test('finds pbkdf2Sync behind hashPassword in the login handler', () => {
    const [f] = inFile('routes/login.ts');
    assert.ok(f, JSON.stringify(findings, null, 1));
    assert.equal(f.rule, 'sync-crypto');
    assert.match(f.chain[f.chain.length - 1].name, /pbkdf2Sync/);
  });

  test('finds execSync in the export handler and the unbounded readFile fan-out', () => {
    assert.deepEqual(
      inFile('routes/export.ts').map((f) => f.rule),
      ['sync-child-process'],
    );
    assert.deepEqual(
      inFile('routes/files.ts').map((f) => f.rule),
      ['threadpool-fanout'],
    );
  });

  test('leaves startup code and the healthy routes alone', () => {
    for (const rel of ['startup.ts', 'passwords.ts', 'views.ts', 'server.ts', 'routes/items.ts']) {
      assert.deepEqual(inFile(rel), [], `${rel}: ${JSON.stringify(inFile(rel))}`);
    }
  });

  test('finds the JSON.parse of the report file read in the report handler (json-io, info)', () => {
    assert.deepEqual(
      inFile('routes/report.ts').map((f) => `${f.line} ${f.rule} ${f.api}`),
      ['15 json-io JSON.parse'],
    );
  });

  test('does not flag the promisified randomBytes and scrypt of the signup route', () => {
    assert.deepEqual(inFile('routes/signup.ts'), [], JSON.stringify(inFile('routes/signup.ts')));
  });

  test('the compiled service listens on 127.0.0.1 and serves each route', async () => {
    const data = mkdtempSync(join(tmpdir(), 'loop-lens-demo-'));
    const child = spawn(process.execPath, [join(demo, 'dist', 'server.js')], {
      env: { ...process.env, PORT: '0', DATA_DIR: data },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`demo exited ${code}: ${out}`)));
      });
      const status = async (path: string, init?: RequestInit): Promise<number> =>
        (await fetch(base + path, init)).status;
      assert.equal(await status('/health'), 200);
      assert.equal(await status('/render?name=ann'), 200);
      assert.equal(await status('/login?user=alice&password=wonderland'), 200);
      assert.equal(
        await status('/login', { method: 'POST', body: '{"user":"alice","password":"x"}' }),
        401,
      );
      assert.equal(await status('/report'), 200);
      assert.equal(await status('/export'), 200);
      assert.equal(await status('/files'), 200);
      assert.equal(await status('/items'), 200);
      assert.equal(
        await status('/signup', { method: 'POST', body: '{"user":"bo","password":"pw"}' }),
        201,
      );
      assert.equal(await status('/nope'), 404);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
