/** Blame selection, call-site search, source maps, snapshot frames and hotspots. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Attributor, hottestLine } from '../../../src/runtime/attribution';
import { lostInnerFrames, withProbedLine } from '../../../src/runtime/probedStack';
import {
  findBlockingLine,
  findCallLine,
  functionEdgeLines,
  staticLookupsDone,
} from '../../../src/runtime/callSite';
import { summarizeHotspots } from '../../../src/runtime/hotspots';
import { SourceMapResolver } from '../../../src/runtime/sourceMaps';
import { framesOfSnapshot } from '../../../src/runtime/probeSnapshot';
import { parseAgentMessage } from '../../../src/runtime/agent';
import type { Stall } from '../../../src/shared/protocol/runtime';

describe('blame', () => {
  const a = new Attributor(new SourceMapResolver());
  test('deepest user frame, skipping node internals and node_modules', () => {
    const frames = [
      { url: '' },
      { url: 'node:fs' },
      { url: 'file:///app/node_modules/lib/index.js' },
      { url: 'file:///app/src/load.js' },
      { url: 'file:///app/src/main.js' },
    ];
    assert.equal(a.blameIndex(frames), 3);
  });
  test('node_modules when nothing else; nothing for internals only', () => {
    assert.equal(a.blameIndex([{ url: 'node:fs' }, { url: '/app/node_modules/x/a.js' }]), 1);
    assert.equal(a.blameIndex([{ url: 'node:fs' }, { url: '' }]), undefined);
  });
  test('remote paths are mapped to local ones', () => {
    const r = new Attributor(new SourceMapResolver(), {
      remoteRoot: '/srv/app',
      localRoot: '/home/me/app',
    });
    assert.equal(r.rank('file:///srv/app/src/a.js'), 2);
  });
});

describe('call sites', () => {
  const src = [
    'function load(file) {', // 1
    '  const opts = { encoding: "utf8" }; // readFileSync( in a comment', // 2
    '  const s = "readFileSync(";', // 3
    '  const data = fs.readFileSync(file, opts);', // 4
    '  return data;', // 5
    '}', // 6
    'function other() { return fs.readFileSync("x"); }', // 7
  ].join('\n');
  test('the call to the callee inside the function, not in comments, strings or the next function', () => {
    assert.deepEqual(findCallLine(src, 1, ['readFileSync']), { line: 4, byName: true });
    assert.equal(
      findCallLine(src, 1, ['execSync'])?.byName,
      false,
      'falls back to a known blocking call',
    );
    assert.equal(findCallLine('function f() {\n  return 1;\n}\nfoo();', 1, ['foo']), undefined);
    // lowdb under lodash's chain: V8 names the method `db.write`; the call shows `.write()`.
    const chained = "function save(i) {\n  db.get('posts').push({ id: i }).write();\n}\n";
    assert.deepEqual(findCallLine(chained, 1, ['wrapper', 'apply', 'db.write']), {
      line: 2,
      byName: true,
    });
  });
  test('of several calls of the callee, the one on a line where the function itself ran', () => {
    const spin = [
      'function spin(ms) {', // 1
      '  const end = process.cpuUsage().user / 1000 + ms;', // 2
      '  let acc = 0;', // 3
      '  while (process.cpuUsage().user / 1000 < end) acc += Math.sqrt(acc);', // 4
      '  return acc;', // 5
      '}',
    ].join('\n');
    assert.deepEqual(findCallLine(spin, 1, ['cpuUsage']), { line: 2, byName: true });
    const ran = new Set([4, 5]);
    assert.deepEqual(findCallLine(spin, 1, ['cpuUsage'], ran), { line: 4, byName: true });
    // No call of it where the function ran: the first call.
    assert.deepEqual(findCallLine(spin, 1, ['cpuUsage'], new Set([3])), { line: 2, byName: true });
  });
  test('an alias the text does not show is resolved by the static engine', async () => {
    const aliased =
      "const { readFileSync: rfs } = require('fs');\nfunction load(f) {\n  const x = 1;\n  return rfs(f);\n}\n";
    // Asked after the stall that needed it (callSiteEngine.test.ts): the next one has it.
    await findBlockingLine(aliased, '/tmp/a.js', 2, 'load', ['readFileSync']);
    await staticLookupsDone();
    assert.equal(await findBlockingLine(aliased, '/tmp/a.js', 2, 'load', ['readFileSync']), 4);
  });
});

describe('the line a profile blames inside its leaf function', () => {
  const asyncLoop = [
    'async function awaitChain(n) {', // 1
    '  let sum = 0;', // 2
    '  for (let i = 0; i < n; i++) sum += await Promise.resolve(i);', // 3
    '  return sum;', // 4
    '}', // 5
    'function next() {}', // 6
  ].join('\n');
  test('edges: the first line and the last return, or the closing brace without one', () => {
    assert.deepEqual([...functionEdgeLines(asyncLoop, 1)].sort(), [1, 4]);
    const noReturn = 'async function f(n) {\n  for (;;) await g();\n  x = 1; // }\n}\n';
    assert.deepEqual([...functionEdgeLines(noReturn, 1)].sort(), [1, 4]);
    assert.deepEqual([...functionEdgeLines('const f = (s) => JSON.parse(s);\nfoo();', 1)], [1]);
    assert.deepEqual([...functionEdgeLines('function f(s) { return JSON.parse(s); }', 1)], [1]);
    // An early return is not the exit V8 books at the end.
    const early = 'function f(a) {\n  if (!a) return 0;\n  spin();\n  return 1; }\n';
    assert.deepEqual([...functionEdgeLines(early, 1)].sort(), [1, 4]);
  });
  test('await machinery on the return does not outvote the loop (ticks seen in CI at 10 ms)', () => {
    const edges = functionEdgeLines(asyncLoop, 1);
    // CI once blamed `return sum` on ticks like these; without edges the return wins.
    const ticks = new Map([
      [4, 3],
      [3, 2],
      [1, 1],
    ]);
    assert.equal(hottestLine(ticks), 4);
    assert.equal(hottestLine(ticks, edges), 3);
    assert.equal(
      hottestLine(
        new Map([
          [4, 2],
          [3, 1],
        ]),
        edges,
      ),
      3,
      'a tie goes to the earlier line',
    );
  });
  test('a heavy call on an edge line still wins by its weight; a lone edge line is kept', () => {
    const src = 'function load(s) {\n  check(s);\n  return JSON.parse(s);\n}\n';
    const edges = functionEdgeLines(src, 1);
    assert.equal(
      hottestLine(
        new Map([
          [3, 9],
          [2, 2],
        ]),
        edges,
      ),
      3,
    );
    assert.equal(hottestLine(new Map([[3, 1]]), edges), 3);
    assert.equal(hottestLine(new Map()), undefined);
  });
});

describe('source maps', () => {
  test('file map: exact columns, and a column-0 lookup finds the first mapping on the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-sm-'));
    try {
      // Generated line 1 col 4 → original line 10 col 2 of src.ts ("AAAA" segments, VLQ).
      const map = { version: 3, sources: ['src.ts'], names: [], mappings: 'IASE' };
      writeFileSync(join(dir, 'out.js'), '    x();\n//# sourceMappingURL=out.js.map\n');
      writeFileSync(join(dir, 'out.js.map'), JSON.stringify(map));
      const r = new SourceMapResolver();
      const exact = await r.original(join(dir, 'out.js'), 1, 4);
      assert.deepEqual([exact.file, exact.line, exact.column], [join(dir, 'src.ts'), 10, 3]);
      const lineOnly = await r.original(join(dir, 'out.js'), 1);
      assert.equal(lineOnly.line, 10, 'LEAST_UPPER_BOUND from column 0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('inline data: map; a broken map warns once and keeps generated positions', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'll-sm-'));
    try {
      const map = Buffer.from(
        JSON.stringify({ version: 3, sources: ['a.ts'], names: [], mappings: 'AAEA' }),
      ).toString('base64');
      writeFileSync(
        join(dir, 'inline.js'),
        `x();\n//# sourceMappingURL=data:application/json;base64,${map}\n`,
      );
      writeFileSync(join(dir, 'bad.js'), 'x();\n//# sourceMappingURL=bad.js.map\n');
      writeFileSync(join(dir, 'bad.js.map'), '{ nope');
      const warnings: string[] = [];
      const r = new SourceMapResolver((w) => warnings.push(w));
      assert.equal((await r.original(join(dir, 'inline.js'), 1, 0)).line, 3);
      const bad1 = await r.original(join(dir, 'bad.js'), 1, 0);
      const bad2 = await r.original(join(dir, 'bad.js'), 1, 0);
      assert.deepEqual([bad1.file, bad1.line, bad2.line], [join(dir, 'bad.js'), 1, 1]);
      assert.equal(warnings.length, 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('watch-mode snapshots and agent messages', () => {
  test('the snapshot drops its own frames; one taken in the heartbeat or at idle is stale', () => {
    const own: [string, string, number, number] = ['', 'loop-lens-agent.js', 1, 1];
    const user: [string, string, number, number] = ['spin', '/app/a.js', 12, 5];
    const frames = framesOfSnapshot([own, own, user]);
    assert.deepEqual(
      frames?.map((f) => [f.url, f.line0, f.col0]),
      [['file:///app/a.js', 11, 4]],
    );
    assert.equal(framesOfSnapshot([own, own]), undefined);
    assert.equal(
      framesOfSnapshot([own, ['loopLensHeartbeat', 'loop-lens-agent.js', 9, 1], user]),
      undefined,
    );
  });
  test('agent messages are parsed strictly', () => {
    assert.deepEqual(parseAgentMessage('{"type":"gap","s":1,"e":2,"cpu":3}'), {
      type: 'gap',
      s: 1,
      e: 2,
      cpu: 3,
    });
    assert.equal(parseAgentMessage('{"type":"gap","s":"1"}'), undefined);
    assert.equal(parseAgentMessage('nope'), undefined);
  });
});

describe('hotspots', () => {
  test('one row per blamed line, heaviest first, unblamed grouped by kind', () => {
    const at = (
      file: string,
      line: number,
      durationMs: number,
      kind: Stall['kind'] = 'cpu',
    ): Stall => ({
      startMs: 0,
      durationMs,
      kind,
      blame: { file, line, column: 1, functionName: 'f' },
      stack: [],
    });
    const rows = summarizeHotspots([
      at('/a.js', 3, 100),
      at('/a.js', 3, 60),
      at('/b.js', 9, 300),
      { startMs: 0, durationMs: 70, kind: 'gc', stack: [] },
    ]);
    assert.deepEqual(
      rows.map((h) => [h.file, h.line, h.totalMs, h.count, h.maxMs]),
      [
        ['/b.js', 9, 300, 1, 300],
        ['/a.js', 3, 160, 2, 100],
        ['(gc)', 0, 70, 1, 70],
      ],
    );
  });
});

describe('profile against the probe', () => {
  const f = (functionName: string, line: number) => ({
    functionName,
    file: '/a.js',
    line,
    column: 1,
  });
  const probed = (stack: ReturnType<typeof f>[]) => ({ stack, blame: stack[0] });

  test('the profile blames a call line the probe saw calling deeper user code: frames were lost', () => {
    const probe = probed([f('spinCpu', 16), f('cpu', 52), f('', 73)]);
    assert.equal(lostInnerFrames(f('cpu', 52), probe), true);
  });

  test('the same function at another line, another function, or the same deepest frame: not lost', () => {
    const probe = probed([f('spinCpu', 16), f('cpu', 52), f('', 73)]);
    assert.equal(lostInnerFrames(f('cpu', 53), probe), false);
    assert.equal(lostInnerFrames(f('parse', 40), probe), false);
    assert.equal(lostInnerFrames(f('spinCpu', 16), probe), false);
    assert.equal(lostInnerFrames(f('cpu', 52), { stack: probe.stack }), false);
  });

  test('a built-in the probe saw names the operation; a JavaScript frame it stopped at does not', () => {
    const user = f('save', 12);
    const profile = { stack: [user], blame: user, operation: 'save', operationNamed: false };
    const stringify = { functionName: 'stringify', file: '(native)', line: 0, column: 0 };
    const viaBuiltin = { stack: [stringify, user], blame: user, operationNamed: true };
    assert.equal(
      withProbedLine(profile, { ...viaBuiltin, operation: 'JSON.stringify' }).operation,
      'JSON.stringify',
    );
    // V8 took the probe at the first call after a long native one returned (isInt32 in writeFile).
    const check = {
      functionName: 'isInt32',
      file: 'node:internal/validators',
      line: 44,
      column: 1,
    };
    const after = { stack: [check, user], blame: user, operationNamed: true };
    assert.equal(
      withProbedLine(profile, { ...after, operation: 'validators.isInt32' }).operation,
      'save',
    );
  });
});
