/** `json-io`: JSON.parse / JSON.stringify of data that came from I/O in the same function. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { check, checkOne } from './helpers';

test('json-io: parse of an awaited file read, a sync read, a fetch body, and a stringify of it', () => {
  const r = checkOne(
    [
      "import { readFile } from 'node:fs/promises';",
      "import fs from 'node:fs';",
      'export async function a(p: string) {',
      "  const text = await readFile(p, 'utf8');",
      '  const rows = JSON.parse(text);',
      '  return JSON.stringify(rows);',
      '}',
      'export async function b(p: string) { return JSON.parse(fs.readFileSync(p).toString()); }',
      'export async function c(url: string) {',
      '  const res = await fetch(url);',
      '  return JSON.parse(await res.text());',
      '}',
      "export async function d(p: string) { return JSON.parse(await fs.promises.readFile(p, 'utf8')); }",
    ].join('\n'),
  );
  assert.deepEqual(r.sites, [
    'a.ts:11 json-io',
    'a.ts:13 json-io',
    'a.ts:5 json-io',
    'a.ts:6 json-io',
    'a.ts:8 json-io',
    'a.ts:8 sync-fs',
  ]);
  const f = r.rel.find((x) => x.line === 5)!;
  assert.equal(f.severity, 'info');
  assert.equal(f.category, 'cpu');
  assert.match(
    f.message,
    /^JSON\.parse blocks the event loop in async a: .*Use a streaming parser/,
  );
});

test('json-io: a request body gathered from data events (CommonJS)', () => {
  const r = checkOne(
    [
      "const http = require('http');",
      'http.createServer((req, res) => {',
      "  let body = '';",
      '  const chunks = [];',
      "  req.on('data', (c) => { body += c; chunks.push(c); });",
      "  req.on('end', () => {",
      '    const a = JSON.parse(body);',
      '    const b = JSON.parse(Buffer.concat(chunks).toString());',
      '    res.end(JSON.stringify({ ok: a && b }));',
      '  });',
      '}).listen(0);',
    ].join('\n'),
    'server.js',
  );
  assert.deepEqual(r.sites, ['server.js:7 json-io', 'server.js:8 json-io']);
});

test('json-io negatives: constants, startup code, unrelated data, a sync helper does not carry it', () => {
  const r = check({
    'a.mjs': [
      "import fs from 'node:fs';",
      "import { readFile } from 'node:fs/promises';",
      "const config = JSON.parse(fs.readFileSync('config.json', 'utf8'));",
      'export async function h(input) {',
      "  JSON.parse('{}');",
      '  JSON.parse(input);',
      '  const s = await something();',
      '  JSON.parse(s);',
      '  return JSON.stringify({ config });',
      '}',
      'function parse(text) { return JSON.parse(text); }',
      "export async function k(p) { return parse(await readFile(p, 'utf8')); }",
      'async function something() { return "{}"; }',
      "process.on('message', (m) => { let s = ''; s += m; JSON.parse(s); });",
    ].join('\n'),
  });
  assert.deepEqual(r.sites, []);
});

test('json-io: the config can turn it off', () => {
  const text =
    "import { readFile } from 'node:fs/promises';\nexport async function a(p) {\n  return JSON.parse(await readFile(p, 'utf8'));\n}";
  assert.deepEqual(checkOne(text, 'a.mjs').sites, ['a.mjs:3 json-io']);
  assert.deepEqual(checkOne(text, 'a.mjs', { severity: { 'json-io': 'off' } }).sites, []);
  assert.deepEqual(checkOne(text, 'a.mjs', { severity: { cpu: 'off' } }).sites, []);
});

test('json-io is reported where the parse is, not through the callers of a sync helper', () => {
  const r = checkOne(
    [
      "import fs from 'node:fs';",
      "function load(p: string) { return JSON.parse(fs.readFileSync(p, 'utf8')); }",
      'export async function h(p: string) { return load(p); }',
    ].join('\n'),
  );
  // The helper's read is what blocks its caller; the parse inside a sync helper is not event-loop
  // context of its own.
  assert.deepEqual(
    r.rel.map((f) => `${f.line} ${f.rule} ${f.api}`),
    ['3 sync-fs fs.readFileSync'],
  );
});
