/**
 * The incremental engine: after each edit of an open buffer (re-parsed from the change range,
 * re-linked only where the edit can reach), every finding equals what a fresh workspace finds
 * on the same texts: through helpers in other files, event-loop registrations and worker files.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { StaticWorkspace } from '../../../server/src/analysis/index';
import { changeRange } from '../../../server/src/analysis/summarize';
import { writeProject } from './helpers';

const files: Record<string, string> = {
  'util.ts': [
    "import * as fs from 'node:fs';",
    'export function read(p: string) {',
    "  return fs.readFileSync(p, 'utf8');",
    '}',
    'export function pure(x: number) {',
    '  return x + 1;',
    '}',
    '',
  ].join('\n'),
  'mid.ts': [
    "import { read } from './util';",
    'export function viaMid(p: string) {',
    '  return read(p);',
    '}',
    '',
  ].join('\n'),
  'app.ts': [
    "import { viaMid } from './mid';",
    "import { pure } from './util';",
    'export async function handler(p: string) {',
    '  return viaMid(p) + pure(1);',
    '}',
    '',
  ].join('\n'),
  'tick.ts': [
    "import * as fs from 'node:fs';",
    'export function tick() {',
    "  fs.statSync('/');",
    '}',
    '',
  ].join('\n'),
  'timers.ts': "import { tick } from './tick';\nsetInterval(tick, 1000);\n",
  'main.js': [
    "const { Worker } = require('node:worker_threads');",
    'async function start() {',
    "  return new Worker(require.resolve('./w'));",
    '}',
    'module.exports = { start };',
    '',
  ].join('\n'),
  'w.js': "const fs = require('fs');\nasync function run() {\n  return fs.readFileSync('x');\n}\n",
};

/** Every finding of the workspace, paths relative to `dir`, in a stable order. */
function all(ws: StaticWorkspace, dir: string): string[] {
  const out: string[] = [];
  for (const [file, list] of ws.analyze()) {
    for (const f of list) {
      const chain = f.chain.map((s) => `${path.relative(dir, s.file)}:${s.line} ${s.name}`);
      out.push(`${path.relative(dir, file)}:${f.line}:${f.column} ${f.rule} ${f.message} ${chain}`);
    }
  }
  return out.sort();
}

/** Edits as an editor makes them: text replaced at one place. */
const edits: [string, (t: string) => string, string][] = [
  ['util.ts', (t) => t.replace("fs.readFileSync(p, 'utf8')", 'p'), 'a helper stops blocking'],
  ['util.ts', (t) => t.replace('return p;', "return fs.readFileSync(p, 'utf8');"), 'undo'],
  ['mid.ts', (t) => `// a comment at the start\n${t}`, 'lines shift at the start'],
  ['app.ts', (t) => `${t}export async function more() {\n  return viaMid('y');\n}\n`, 'end'],
  ['app.ts', (t) => t.replace('viaMid(p) + pure(1)', 'pure(2)'), 'middle: a call removed'],
  ['timers.ts', (t) => t.replace('setInterval(tick, 1000);', 'tick;'), 'registration gone'],
  ['main.js', (t) => t.replace('new Worker(', 'console.log('), 'no longer a worker'],
  ['main.js', (t) => t.replace('console.log(', 'new Worker('), 'a worker again'],
  ['timers.ts', (t) => t.replace('tick;', 'setInterval(tick, 1000);'), 'registered again'],
  ['app.ts', (t) => t.replace('pure(2)', 'viaMid(p) + pure(1)'), 'undo the middle'],
  ['mid.ts', (t) => t.replace('// a comment at the start\n', ''), 'undo the start'],
  ['app.ts', (t) => t.slice(0, t.indexOf('export async function more')), 'undo the end'],
];

test('each edit leaves the findings a fresh workspace finds on the same texts', () => {
  const dir = writeProject(files);
  const ws = new StaticWorkspace({ roots: [dir], dependencyCache: false });
  const texts = new Map<string, string>();
  const before = all(ws, dir);
  assert.ok(
    before.some((l) => l.startsWith('app.ts:4')),
    'the chain through two files',
  );
  assert.ok(
    before.some((l) => l.startsWith('tick.ts:3')),
    'the registered callback',
  );
  assert.ok(!before.some((l) => l.startsWith('w.js')), 'the worker file');
  const seen = new Set<string>([before.join('\n')]);
  for (const [rel, edit, what] of edits) {
    const file = path.join(dir, rel);
    const text = edit(texts.get(file) ?? files[rel]!);
    texts.set(file, text);
    ws.setFileText(file, text);
    const fresh = new StaticWorkspace({ roots: [dir], dependencyCache: false });
    for (const [f, t] of texts) fresh.setFileText(f, t);
    const got = all(ws, dir);
    assert.deepEqual(got, all(fresh, dir), `after "${what}" (${rel})`);
    seen.add(got.join('\n'));
  }
  assert.deepEqual(all(ws, dir), before, 'every edit undone: the findings of the start');
  assert.ok(seen.size >= 5, `the edits changed the findings (${seen.size} distinct sets)`);
});

test('the change range spans what differs between two texts', () => {
  const r = changeRange('abcXYZdef', 'abc12def');
  assert.deepEqual([r.span.start, r.span.length, r.newLength], [3, 3, 2]);
  const same = changeRange('abc', 'abc');
  assert.deepEqual([same.span.start, same.span.length, same.newLength], [3, 0, 0]);
  const grow = changeRange('aa', 'aaa');
  assert.deepEqual([grow.span.start, grow.span.length, grow.newLength], [2, 0, 1]);
});
