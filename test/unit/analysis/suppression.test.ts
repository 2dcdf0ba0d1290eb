/** Suppression comments and the configuration: severities, ignore globs, extra blocking APIs. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { check, checkOne } from './helpers';

const body = (lines: string[]) =>
  ["import fs from 'fs';", 'export async function h() {', ...lines, '}'].join('\n');

test('loop-lens-ignore-next-line silences the next line only', () => {
  const r = checkOne(
    body(['  // loop-lens-ignore-next-line', "  fs.readFileSync('a');", "  fs.readFileSync('b');"]),
  );
  assert.deepEqual(r.sites, ['a.ts:5 sync-fs']);
});

test('loop-lens-ignore-next-line with a rule silences only that rule', () => {
  const r = checkOne(
    body([
      '  // loop-lens-ignore-next-line sync-fs -- startup cache, measured',
      "  fs.readFileSync('a'); require('x');",
      '  // loop-lens-ignore-next-line sync-crypto',
      "  fs.readFileSync('b');",
    ]),
  );
  assert.deepEqual(r.sites, ['a.ts:4 require-in-function', 'a.ts:6 sync-fs']);
});

test('a suppressed blocking call inside a helper does not make its callers blocking', () => {
  const r = checkOne(
    [
      "import fs from 'fs';",
      'function cached() {',
      '  // loop-lens-ignore-next-line',
      "  return fs.readFileSync('x');",
      '}',
      'export async function h() {',
      '  return cached();',
      '}',
    ].join('\n'),
  );
  assert.deepEqual(r.sites, []);
});

test('a suppression at the call site of a helper silences the indirect finding', () => {
  const r = checkOne(
    [
      "import fs from 'fs';",
      "function load() { return fs.readFileSync('x'); }",
      'export async function h() {',
      '  // loop-lens-ignore-next-line sync-fs',
      '  return load();',
      '}',
    ].join('\n'),
  );
  assert.deepEqual(r.sites, []);
});

test('loop-lens-ignore-file silences a rule (or everything) in the whole file', () => {
  const text = (d: string) => body([`  // ${d}`, "  fs.readFileSync('a');", "  require('y');"]);
  assert.deepEqual(checkOne(text('loop-lens-ignore-file sync-fs')).sites, [
    'a.ts:5 require-in-function',
  ]);
  assert.deepEqual(checkOne('/* loop-lens-ignore-file */\n' + text('x')).sites, []);
});

test('config severity per rule and per category; off disables', () => {
  const text = body(["  fs.readFileSync('a');", "  require('x');"]);
  const r1 = checkOne(text, 'a.ts', { severity: { 'sync-fs': 'error' } });
  assert.equal(r1.findings.find((f) => f.rule === 'sync-fs')!.severity, 'error');
  const r2 = checkOne(text, 'a.ts', { severity: { 'sync-io': 'off' } });
  assert.deepEqual(r2.sites, []);
  const r3 = checkOne(text, 'a.ts', { severity: { 'require-in-function': 'off' } });
  assert.deepEqual(r3.sites, ['a.ts:3 sync-fs']);
});

test('config threadpool: false turns off the fan-out rule', () => {
  const text =
    "import fsp from 'fs/promises';\nexport async function h(xs: string[]) {\n  return Promise.all(xs.map((x) => fsp.readFile(x)));\n}";
  assert.deepEqual(checkOne(text).sites, ['a.ts:3 threadpool-fanout']);
  assert.deepEqual(checkOne(text, 'a.ts', { threadpool: false }).sites, []);
});

test('config ignore globs leave files out', () => {
  const files = {
    'src/a.ts': body(["  fs.readFileSync('a');"]),
    'scripts/build.ts': body(["  fs.readFileSync('a');"]),
    'node_modules/dep/index.js':
      "require('fs');\nasync function x() { require('fs').readFileSync('a'); }",
  };
  assert.deepEqual(check(files).sites, ['scripts/build.ts:3 sync-fs', 'src/a.ts:3 sync-fs']);
  const r = check(files, { ignore: ['scripts/**'] });
  assert.deepEqual(r.sites, ['src/a.ts:3 sync-fs']);
  assert.equal(r.filesAnalyzed, 1);
});

test('config blocking: a team-declared API, by module and by name', () => {
  const r = checkOne(
    [
      "import { querySync } from 'legacy-db';",
      "import { Client } from 'soap-client';",
      'function renderSync(t: string) { return t; }',
      'export async function h() {',
      "  querySync('select 1');",
      "  new Client().callSync('x');",
      "  renderSync('t');",
      '}',
    ].join('\n'),
    'a.ts',
    {
      blocking: [
        {
          module: 'legacy-db',
          name: 'querySync',
          why: 'it waits for the database',
          replacement: 'query()',
        },
        { module: 'soap-client', name: 'Client.prototype.callSync' },
        { name: 'renderSync', category: 'cpu' },
      ],
    },
  );
  assert.deepEqual(r.sites, [
    'a.ts:5 custom-blocking',
    'a.ts:6 custom-blocking',
    'a.ts:7 custom-blocking',
  ]);
  const q = r.findings.find((f) => f.line === 5)!;
  assert.equal(q.why, 'it waits for the database');
  assert.equal(q.replacement, 'query()');
  assert.equal(r.findings.find((f) => f.line === 7)!.category, 'cpu');
});
