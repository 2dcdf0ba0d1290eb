/**
 * `loop-lens record` and `loop-lens ps` end to end: the built CLI against real Node fixtures
 * that block their event loop on purpose. Waits on output, never on sleeps or timings.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Recording } from '../../src/shared/protocol/runtime';
import { findInspectorPort } from '../../src/runtime/processDiscovery';
import { BLOCKER, CLI, IDLE, cli, freePort, kill, lineOf, run, startInspected } from './cliHelpers';

const SPIN = lineOf(BLOCKER, 'SPIN LINE');
const READ = lineOf(BLOCKER, 'READ LINE');
const REL = 'test/fixtures/cli/blocker.js';
const REL_RE = REL.replace(/\./g, '\\.');
/** A stall line the CLI prints for one of the fixture's two blocking lines (CPU loop, readFileSync). */
const BLOCK_STALL = new RegExp(
  `^\\s+\\+\\d+\\.\\d{3}s\\s+\\d+ ms  [a-z-]+\\s+(?:[^←\\n]* ← )?${REL_RE}:(${SPIN} spin|${READ} readBig)$`,
  'm',
);
/**
 * Any stall line the CLI prints for the fixture. The tests of stopping and target death wait for
 * this, not for the exact line: V8 may have inlined the blocking function into its caller before
 * we attached (blame then lands on the call line, a known limit), and those tests are about what
 * is kept, not about attribution, which the first test checks.
 */
const ANY_STALL = new RegExp(
  `^\\s+\\+\\d+\\.\\d{3}s\\s+\\d+ ms  [a-z-]+\\s+(?:[^←\\n]* ← )?${REL_RE}:\\d+ `,
  'm',
);
/** A stall blamed on one of the two blocking lines, with the right function. */
function blamedRight(s: { blame?: { file: string; line: number; functionName: string } }): boolean {
  const b = s.blame;
  return (
    b !== undefined &&
    b.file === BLOCKER &&
    ((b.line === SPIN && b.functionName === 'spin') ||
      (b.line === READ && b.functionName === 'readBig'))
  );
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'll-cli-'));
}

function readRecording(file: string): Recording {
  return JSON.parse(readFileSync(file, 'utf8')) as Recording;
}

test('record -- node blocker.js: prints stalls live, hotspots on exit, writes JSON, HTML and cpuprofile', async () => {
  const dir = tmp();
  const files = {
    out: join(dir, 'rec.json'),
    html: join(dir, 'r.html'),
    prof: join(dir, 'p.cpuprofile'),
  };
  const p = cli([
    'record',
    '--duration',
    '4',
    '--out',
    files.out,
    '--html',
    files.html,
    '--cpuprofile',
    files.prof,
    '--',
    'node',
    BLOCKER,
  ]);
  const { code } = await p.exited;
  assert.equal(code, 0, p.err());
  assert.match(p.out(), BLOCK_STALL);
  assert.match(p.out(), new RegExp(`^Hotspots: \\d+ stalls?, .* blocked in`, 'm'));
  assert.match(
    p.out(),
    new RegExp(
      `\\d+ ms\\s+\\d+\\s+\\d+ ms  ${REL_RE}:(${SPIN} spin|${READ} readBig)( {2}\\(.+\\))?$`,
      'm',
    ),
  );

  const rec = readRecording(files.out);
  assert.equal(rec.version, 2);
  assert.equal(rec.thresholdMs, 50);
  assert.ok(rec.durationMs > 0 && typeof rec.startedAt === 'string');
  assert.ok(rec.target.pid && rec.target.url);
  const blamed = rec.stalls.filter(blamedRight);
  assert.ok(blamed.length > 0, JSON.stringify(rec.stalls.map((s) => s.blame)));
  const first = blamed[0];
  assert.ok(
    first.stack.some((f) => f.file === BLOCKER && f.functionName === first.blame!.functionName),
  );
  // A CPU loop is never in fs natives.
  for (const s of blamed) if (s.blame!.line === SPIN) assert.notEqual(s.kind, 'sync-io');
  assert.ok(
    rec.hotspots.some((h) => h.file === BLOCKER && h.line === first.blame!.line && h.count >= 1),
  );

  const html = readFileSync(files.html, 'utf8');
  assert.ok(html.includes(`${REL}:${first.blame!.line}`), 'report names the blocking line');
  const prof = JSON.parse(readFileSync(files.prof, 'utf8')) as {
    nodes: unknown[];
    samples: unknown[];
  };
  assert.ok(prof.nodes.length > 0 && prof.samples.length > 0);
});

test('without --duration a launched target that exits ends the recording, outputs written', async () => {
  const out = join(tmp(), 'rec.json');
  const p = run([CLI, 'record', '--out', out, '--', 'node', BLOCKER], { EXIT_AFTER_MS: '2500' });
  const { code } = await p.exited;
  assert.equal(code, 0, p.err());
  assert.match(p.err(), /Stopped: target exited/);
  assert.ok(readRecording(out).stalls.some(blamedRight));
});

test('record --pid P --mode watch: attaches to a process started without --inspect', async () => {
  const target = run([BLOCKER]);
  await target.waitFor('stdout', /ready pid/);
  const p = cli([
    'record',
    '--pid',
    String(target.child.pid),
    '--mode',
    'watch',
    '--duration',
    '3',
  ]);
  try {
    const { code } = await p.exited;
    assert.equal(code, 0, p.err());
    assert.match(p.err(), /mode watch/);
    assert.match(p.out(), BLOCK_STALL);
    assert.equal(target.child.exitCode, null, 'target still running after detach');
    // The inspector SIGUSR1 opened is closed again, and the user is told.
    assert.match(p.err(), /Closed the inspector that Loop Lens opened in pid \d+\./);
    assert.equal(await findInspectorPort(target.child.pid!), undefined);
  } finally {
    await kill(p);
    await kill(target);
  }
});

test('Ctrl-C (SIGINT) mid-recording still writes the recording and leaves the target running', async () => {
  const { proc: target, port } = await startInspected(BLOCKER);
  const dir = tmp();
  const out = join(dir, 'rec.json');
  const p = cli(['record', '--port', String(port), '--out', out]);
  try {
    await p.waitFor('stdout', ANY_STALL);
    p.child.kill('SIGINT');
    const { code } = await p.exited;
    assert.equal(code, 0, p.err());
    assert.match(p.err(), /Stopped: interrupted/);
    assert.ok(readRecording(out).stalls.length >= 1);
    assert.equal(target.child.exitCode, null, 'target still running after detach');
    // The target keeps working: it can be recorded again.
    const again = cli(['record', '--port', String(port), '--duration', '2']);
    assert.equal((await again.exited).code, 0, again.err());
  } finally {
    await kill(p);
    await kill(target);
  }
});

test('a target killed mid-recording leaves a recording of what was seen', async () => {
  const { proc: target, port } = await startInspected(BLOCKER);
  const out = join(tmp(), 'rec.json');
  const p = cli([
    'record',
    '--port',
    String(port),
    '--out',
    out,
    '--html',
    out.replace('.json', '.html'),
  ]);
  try {
    await p.waitFor('stdout', ANY_STALL);
    target.child.kill('SIGKILL');
    const printed = p.out().match(new RegExp(ANY_STALL.source, 'gm'))?.length ?? 0;
    const { code } = await p.exited;
    assert.equal(code, 0, p.err());
    assert.match(p.err(), /target exited|closed|gone|disconnect/i);
    const rec = readRecording(out);
    // Every stall printed before the kill is in the recording.
    assert.ok(printed >= 1 && rec.stalls.length >= printed, `${rec.stalls.length} < ${printed}`);
    assert.ok(existsSync(out.replace('.json', '.html')));
  } finally {
    await kill(p);
    await kill(target);
  }
});

test('an unreachable port fails fast with a clear message and exit code 2', async () => {
  const port = await freePort();
  const p = cli(['record', '--port', String(port), '--out', join(tmp(), 'never.json')]);
  const { code } = await p.exited;
  assert.equal(code, 2);
  assert.match(p.err(), new RegExp(`loop-lens record: cannot record 127\\.0\\.0\\.1:${port}`));
  // Fast because refused, not because a timeout ran out (inspectorFaults.test.ts has the rest).
  assert.match(p.err(), /ECONNREFUSED/);
});

test('bad usage is rejected before anything is attached', async () => {
  const p = cli(['record', '--ws', 'ws://127.0.0.1:9/x', '--pid', '1']);
  assert.equal((await p.exited).code, 2);
  assert.match(p.err(), /give only one kind of target/);
  const none = cli(['record']);
  assert.equal((await none.exited).code, 2);
  assert.match(none.err(), /no target/);
});

test('ps lists a node --inspect=127.0.0.1:0 process with its inspector port', async () => {
  const { proc: target, port } = await startInspected(IDLE);
  try {
    const json = cli(['ps', '--json']);
    assert.equal((await json.exited).code, 0, json.err());
    const list = JSON.parse(json.out()) as Array<{
      pid: number;
      inspectorPort?: number;
      command: string;
    }>;
    const me = list.find((x) => x.pid === target.child.pid);
    assert.ok(me, `pid ${target.child.pid} missing from ${json.out()}`);
    assert.equal(me.inspectorPort, port);
    assert.match(me.command, /idle\.js/);
    const table = cli(['ps']);
    assert.equal((await table.exited).code, 0);
    assert.match(table.out(), /^\s*PID\s+INSPECTOR\s+COMMAND$/m);
    assert.match(
      table.out(),
      new RegExp(`^\\s*${target.child.pid}\\s+${port}\\s+.*idle\\.js`, 'm'),
    );
  } finally {
    await kill(target);
  }
});
