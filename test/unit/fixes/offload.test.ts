/**
 * When "Run in a worker thread" is offered: only for a self-contained function whose inputs and
 * result are plain data, called from an async function. Each refusal names its reason.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { offloadCheck, withPiscina } from '../../../server/src/fixes/offload';
import { cpuFinding } from './helpers';

function check(fn: string, call = 'work(x)', prefix = ''): string {
  const text = `${prefix}${fn}\n\nasync function handler(x: number[]) {\n  return ${call};\n}\n`;
  const r = offloadCheck(text, 'a.ts', cpuFinding(text, call));
  assert.ok(r);
  return 'reason' in r ? `offered: ${r.reason}` : `refused: ${r.refused}`;
}

describe('offload: offered only where safe', () => {
  test('a self-contained function of plain data is offered, with the reason', () => {
    const r = check(
      'function work(xs: number[]): number {\n  let t = 0;\n  for (const v of xs) t += Math.sqrt(v);\n  return t;\n}',
    );
    assert.match(r, /^offered: `work` is self-contained: .*`xs: number\[\]`/);
  });
  test('a pure Node module import is allowed and named', () => {
    const r = check(
      "function work(xs: number[]): string {\n  return createHash('md5').update(String(xs)).digest('hex');\n}",
      'work(x)',
      "import { createHash } from 'node:crypto';\n",
    );
    assert.match(r, /^offered: .*`node:crypto`/);
  });
  const refusals: [string, string, string, RegExp][] = [
    [
      'default export',
      'export default function work(xs: number[]) { return xs.length; }',
      '',
      /default export/,
    ],
    [
      'outer variable',
      'function work(xs: number[]) { return xs.length + limit; }',
      'const limit = 3;\n',
      /uses `limit` from outside/,
    ],
    [
      'stateful module',
      "function work(xs: number[]) { return readFileSync('f') + xs; }",
      "import { readFileSync } from 'node:fs';\n",
      /from `fs`, which may hold state/,
    ],
    [
      'mutates an argument',
      'function work(xs: number[]) { xs.sort(); return xs[0]; }',
      '',
      /changes its argument `xs`/,
    ],
    ['uses this', 'function work(xs: number[]) { return this.n + xs.length; }', '', /uses `this`/],
    [
      'function parameter',
      'function work(f: () => number) { return f(); }',
      '',
      /is not plain data/,
    ],
    [
      'class-typed result',
      'function work(xs: number[]): Thing { return new Thing(xs); }',
      'class Thing { constructor(public xs: number[]) {} }\n',
      /not plain data/,
    ],
    [
      'type of this file',
      'function work(xs: Row[]) { return xs.length; }',
      'interface Row { a: number }\n',
      /is not plain data|the type `Row`/,
    ],
  ];
  for (const [name, fn, prefix, why] of refusals) {
    test(`refused: ${name}`, () => assert.match(check(fn, 'work(x)', prefix), why));
  }
  test('refused: a call outside an async function', () => {
    const text =
      'function work(n: number) { return n * 2; }\n\nfunction sync(x: number) {\n  return work(x);\n}\n';
    const r = offloadCheck(text, 'a.ts', cpuFinding(text, 'work(x)'));
    assert.ok(
      r &&
        'refused' in r &&
        /the call is in `sync`, which is not async: making it async/.test(r.refused),
      JSON.stringify(r),
    );
  });
  test('refused: the function is also used elsewhere', () => {
    const r = check('function work(n: number[]) { return n.length; }\nconst other = work;');
    assert.match(r, /used elsewhere/);
  });
  test('not a CPU finding: no offload at all', () => {
    const text = 'function work(n: number) { return n; }\nasync function h() { return work(1); }\n';
    const f = { ...cpuFinding(text, 'work(1)'), category: 'sync-io' as const };
    assert.equal(offloadCheck(text, 'a.ts', f), undefined);
  });
});

describe('offload: package.json', () => {
  test('piscina is added to dependencies, in order, keeping the indent and final newline', () => {
    const out = withPiscina(
      '{\n    "name": "x",\n    "dependencies": {\n        "zod": "^3.0.0"\n    }\n}\n',
    );
    assert.equal(
      out,
      '{\n    "name": "x",\n    "dependencies": {\n        "piscina": "^5.3.2",\n        "zod": "^3.0.0"\n    }\n}\n',
    );
  });
  test('nothing changes when piscina is already a dependency, or the file is not JSON', () => {
    assert.equal(withPiscina('{"devDependencies":{"piscina":"^4.0.0"}}'), undefined);
    assert.equal(withPiscina('{ not json'), undefined);
  });
});
