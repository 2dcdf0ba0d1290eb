/** Bad input never crashes or hangs a run: it becomes a note, and everything else is analysed. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeProject } from '../../../server/src/analysis/index';
import { maxFileBytes } from '../../../server/src/analysis/files';
import { writeProject } from './helpers';

const good = "import fs from 'fs';\nexport async function h() {\n  fs.readFileSync('x');\n}\n";

test('a file with a syntax error is analysed as far as it parses and noted as partial', () => {
  const dir = writeProject({
    'broken.ts':
      "import fs from 'fs';\nexport async function h() {\n  fs.readFileSync('x');\n}\nconst = ;\nfunction (\n",
    'ok.ts': good,
  });
  const r = analyzeProject({ roots: [dir] });
  const sites = r.findings.map((f) => `${path.basename(f.file)}:${f.line}`).sort();
  assert.deepEqual(sites, ['broken.ts:3', 'ok.ts:3']);
  const note = r.notes.find((n) => n.file.endsWith('broken.ts'))!;
  assert.equal(note.kind, 'partial');
  assert.match(note.reason, /syntax error at line 5/);
  assert.equal(r.filesAnalyzed, 2);
});

test('binary, minified and huge files are skipped with a note', () => {
  const dir = writeProject({ 'ok.ts': good });
  fs.writeFileSync(
    path.join(dir, 'image.js'),
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]),
  );
  fs.writeFileSync(
    path.join(dir, 'bundle.min.js'),
    'var a=1;'.repeat(5000) + "require('fs').readFileSync('x');",
  );
  fs.writeFileSync(path.join(dir, 'huge.js'), '// filler\n'.repeat(maxFileBytes / 10 + 1));
  const r = analyzeProject({ roots: [dir] });
  const notes = Object.fromEntries(r.notes.map((n) => [path.basename(n.file), n]));
  assert.equal(notes['image.js']?.kind, 'skipped');
  assert.match(notes['image.js']!.reason, /binary/);
  assert.match(notes['bundle.min.js']!.reason, /minified/);
  assert.match(notes['huge.js']!.reason, /huge/);
  assert.equal(r.findings.length, 1);
  assert.equal(r.filesAnalyzed, 1);
});

test('a symlink loop neither crashes nor hangs, and files are listed once', () => {
  const dir = writeProject({ 'src/a.ts': good });
  fs.symlinkSync(dir, path.join(dir, 'src', 'loop'), 'dir');
  fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling.js'));
  const r = analyzeProject({ roots: [dir] });
  assert.equal(r.findings.length, 1);
  assert.equal(r.filesAnalyzed, 1);
});

test('circular imports terminate', () => {
  const dir = writeProject({
    'a.ts':
      "import { b } from './b';\nexport function a(): void { b(); }\nexport async function h() { a(); }",
    'b.ts':
      "import { a } from './a';\nimport fs from 'fs';\nexport function b(): void { a(); fs.statSync('x'); }",
  });
  const r = analyzeProject({ roots: [dir] });
  assert.deepEqual(
    r.findings.map((f) => `${path.basename(f.file)}:${f.line}`),
    ['a.ts:3'],
  );
});

test(
  'an unreadable file or a missing root is a note, not a crash',
  { skip: process.getuid?.() === 0 && 'root reads everything' },
  () => {
    const dir = writeProject({ 'ok.ts': good, 'secret.ts': good });
    fs.chmodSync(path.join(dir, 'secret.ts'), 0o000);
    const r = analyzeProject({ roots: [dir] });
    assert.equal(r.notes.find((n) => n.file.endsWith('secret.ts'))?.kind, 'error');
    assert.equal(r.findings.length, 1);
  },
);

test('a missing root is a note, not a crash', () => {
  const r = analyzeProject({ roots: ['/nonexistent/loop-lens-test'] });
  assert.equal(r.findings.length, 0);
  assert.equal(r.notes[0]?.kind, 'error');
});

test('a single file as a root, and a file with only a BOM and odd syntax', () => {
  const dir = writeProject({ 'a.ts': good, 'bom.js': '\uFEFF#!/usr/bin/env node\nexport {};\n' });
  const r = analyzeProject({ roots: [path.join(dir, 'a.ts')] });
  assert.equal(r.findings.length, 1);
  const all = analyzeProject({ roots: [dir] });
  assert.equal(all.filesAnalyzed, 2);
});

// @node-red/runtime 5.0.7 `settings.hasOwnProperty(...)` on `require('./settings')` once ended
// the run with exit 2: the linker took Object.prototype's function for an export.
test("Object.prototype's names are never taken for exports", () => {
  const dir = writeProject({
    'settings.js': "const fs = require('fs');\nexports.load = () => fs.readFileSync('x');\n",
    'index.js': [
      "const settings = require('./settings');",
      "const ns = require('constructor');",
      'async function start() {',
      "  if (settings.hasOwnProperty('a')) settings.toString();",
      '  settings.constructor(); ns.valueOf(); settings.__proto__.x();',
      '  settings.load();',
      '}',
      'module.exports = start;',
    ].join('\n'),
  });
  const r = analyzeProject({ roots: [dir] });
  assert.deepEqual(
    r.findings.map((f) => `${path.basename(f.file)}:${f.line} ${f.api}`),
    ['index.js:6 fs.readFileSync'],
  );
  assert.deepEqual(r.notes, []);
});

test('a large readable bundle with a few very long lines is analysed, not taken for minified', () => {
  const fn = (i: number) =>
    `function helper${i}(list) {\n  const out = [];\n  for (const x of list) out.push(x * ${i});\n  return out;\n}\n`;
  let body = '';
  for (let i = 0; body.length < 1_100_000; i++) body += fn(i);
  const data = `const EMBEDDED = "${'QUJD'.repeat(75_000)}";\n`; // 300 KB on one line
  const map = `//# sourceMappingURL=data:application/json;base64,${'e30='.repeat(400_000)}\n`;
  const dir = writeProject({
    'bundle.js':
      "const fs = require('fs');\n" +
      data +
      body +
      "exports.h = async function h() { return fs.readFileSync('x'); };\n" +
      map,
    'min.js': `${'var a=1;'.repeat(500)}\n`.repeat(6) + 'var b = 2;\n',
  });
  const r = analyzeProject({ roots: [dir] });
  assert.deepEqual(
    r.findings.map((f) => `${path.basename(f.file)} ${f.api}`),
    ['bundle.js fs.readFileSync'],
  );
  const min = r.notes.find((n) => n.file.endsWith('min.js'));
  assert.match(min?.reason ?? '', /minified file \(\d+ % of it in lines over 1000 characters\)/);
  assert.equal(r.notes.length, 1);
});
