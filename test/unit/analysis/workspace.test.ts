/** StaticWorkspace: open buffers override disk, edits re-analyse dependents, files come and go. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StaticWorkspace, findBlockingCallInFunction } from '../../../server/src/analysis/index';
import { writeProject } from './helpers';

const files = {
  'server.ts':
    "import { load } from './helper';\nexport async function serve() {\n  return load();\n}\n",
  'helper.ts': "export function load() {\n  return 'cached';\n}\n",
  'node_modules/x/index.js': "async function f() { require('fs').readFileSync('x'); }",
  '.git/hooks/pre-commit.js': "async function f() { require('fs').readFileSync('x'); }",
};

function lines(ws: StaticWorkspace, dir: string): string[] {
  const out: string[] = [];
  for (const [file, fs] of ws.analyze()) {
    for (const f of fs) out.push(`${path.relative(dir, file)}:${f.line} ${f.rule}`);
  }
  return out.sort();
}

test('listFiles skips node_modules and .git; edits to a helper change the caller’s findings', () => {
  const dir = writeProject(files);
  const ws = new StaticWorkspace({ roots: [dir] });
  assert.deepEqual(
    ws.listFiles().map((f) => path.relative(dir, f)),
    ['helper.ts', 'server.ts'],
  );
  assert.deepEqual(lines(ws, dir), []);
  const helper = path.join(dir, 'helper.ts');
  ws.setFileText(
    helper,
    "import fs from 'fs';\nexport function load() {\n  return fs.readFileSync('t');\n}\n",
  );
  assert.deepEqual(lines(ws, dir), ['server.ts:3 sync-fs']);
  const f = ws.analyze([path.join(dir, 'server.ts')]).get(path.join(dir, 'server.ts'))![0]!;
  assert.deepEqual(
    f.chain.map((s) => `${path.basename(s.file)}:${s.line} ${s.name}`),
    ['server.ts:3 load', 'helper.ts:3 fs.readFileSync'],
  );
  ws.closeFile(helper); // back to the disk text, which does not block
  assert.deepEqual(lines(ws, dir), []);
});

test('a new open buffer joins the project; removeFile drops it and its effects', () => {
  const dir = writeProject(files);
  const ws = new StaticWorkspace({ roots: [dir] });
  ws.analyze();
  const extra = path.join(dir, 'extra.ts');
  ws.setFileText(
    extra,
    "import cp from 'child_process';\nsetTimeout(() => cp.execSync('ls'), 1);\n",
  );
  assert.deepEqual(lines(ws, dir), ['extra.ts:2 sync-child-process']);
  ws.removeFile(extra);
  assert.deepEqual(lines(ws, dir), []);
  assert.ok(!ws.listFiles().includes(extra));
});

test('only changed files are re-parsed (summaries are cached)', () => {
  const dir = writeProject(files);
  const ws = new StaticWorkspace({ roots: [dir] });
  ws.analyze();
  const before = ws.summaryOf(path.join(dir, 'server.ts'));
  ws.setFileText(path.join(dir, 'helper.ts'), 'export function load() { return 1; }\n');
  ws.analyze();
  assert.equal(ws.summaryOf(path.join(dir, 'server.ts')), before, 'server.ts was not re-parsed');
  assert.notEqual(ws.summaryOf(path.join(dir, 'helper.ts')), undefined);
});

test('a file that disappears between listing and reading becomes an error note', () => {
  const dir = writeProject(files);
  const ws = new StaticWorkspace({ roots: [dir] });
  ws.listFiles();
  fs.rmSync(path.join(dir, 'helper.ts'));
  ws.analyze();
  assert.equal(ws.notes().find((n) => n.file.endsWith('helper.ts'))?.kind, 'error');
});

test('per-file config function: severity and ignore', () => {
  const dir = writeProject({
    'a.ts': "import fs from 'fs';\nexport async function h() { fs.statSync('x'); }\n",
  });
  const ws = new StaticWorkspace({
    roots: [dir],
    config: () => ({ severity: { 'sync-fs': 'error' } }),
  });
  const found = [...ws.analyze().values()].flat();
  assert.equal(found[0]?.severity, 'error');
});

test('findBlockingCallInFunction: the blocking call inside the function starting at a line', () => {
  const src = [
    "const fs = require('fs');", // 1
    'function render(name) {', // 2
    '  const t = name.trim();', // 3
    "  return fs.readFileSync('/tpl/' + t, 'utf8');", // 4
    '}', // 5
    'class S { handle() { return [1].map(() => require("zlib").gzipSync("x")); } }', // 6
    'function clean() { return 1; }', // 7
  ].join('\n');
  assert.deepEqual(findBlockingCallInFunction(src, '/x/a.js', 2), {
    line: 4,
    column: 10,
    api: 'fs.readFileSync',
  });
  assert.equal(findBlockingCallInFunction(src, '/x/a.js', 6, 'handle')?.api, 'zlib.gzipSync');
  assert.equal(findBlockingCallInFunction(src, '/x/a.js', 7, 'clean'), undefined);
  assert.equal(findBlockingCallInFunction('not { valid', '/x/b.js', 1), undefined);
});

test('summaries list relative imports of every form (for hosts that track dependencies)', () => {
  const dir = writeProject({
    'a.js':
      "import x from './esm';\nexport * from './star';\nconst c = require('./cjs');\nconst d = import('./dyn');\nrequire('fs');\n",
  });
  const ws = new StaticWorkspace({ roots: [dir] });
  ws.analyze();
  const s = ws.summaryOf(path.join(dir, 'a.js'))!;
  assert.deepEqual([...s.imports].sort(), ['./cjs', './dyn', './esm', './star']);
  assert.deepEqual(s.stars, ['./star']);
});
