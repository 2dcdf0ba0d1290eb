import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  kindOfStack,
  lineOperation,
  operationOf,
  type OpFrame,
} from '../../../src/runtime/operation';
import { PackageResolver, packageRootOf } from '../../../src/runtime/packages';
import { judge } from '../../../src/runtime/starvation';

const f = (functionName: string, url: string): OpFrame => ({ functionName, url });
const USER = f('save', 'file:///app/store.js');
const op = (frames: OpFrame[], line?: string) =>
  operationOf(frames, (i) => (i === 0 ? line : undefined))?.name;

test('Node APIs are named by their public function, whatever runs inside them', () => {
  const buffer = [
    f('', ''),
    f('createFromString', 'node:buffer'),
    f('fromStringFast', 'node:buffer'),
    f('fromString', 'node:buffer'),
    f('from', 'node:buffer'),
    f('writeFile', 'node:fs'),
    f('go$writeFile', 'file:///app/node_modules/graceful-fs/graceful-fs.js'),
  ];
  assert.equal(op(buffer), 'Buffer.from (string)');
  const read = [f('readFileUtf8', ''), f('readFileSync', 'node:fs'), USER];
  assert.equal(op(read), 'fs.readFileSync');
  // A profile of a busy machine booked a big read to the buffer readFileSync allocates first.
  const allocated = [
    f('createUnsafeBuffer', 'node:internal/buffer'),
    f('allocate', 'node:buffer'),
    f('allocUnsafe', 'node:buffer'),
    f('tryCreateBuffer', 'node:fs'),
    f('readFileSync', 'node:fs'),
    USER,
  ];
  assert.equal(op(allocated), 'fs.readFileSync');
  assert.equal(kindOfStack(allocated), 'sync-io');
  assert.equal(op([...allocated.slice(0, 3), USER]), 'Buffer.allocUnsafe', 'called by the user');
  assert.equal(
    op([f('run', ''), f('pbkdf2Sync', 'node:internal/crypto/pbkdf2'), USER]),
    'crypto.pbkdf2Sync',
  );
  // An internal module's path is not shown: `process.cpuUsage`, not `process/per_thread.cpuUsage`.
  assert.equal(
    op([f('cpuUsage', ''), f('cpuUsage', 'node:internal/process/per_thread'), USER]),
    'process.cpuUsage',
  );
  assert.equal(
    op([
      f('spawnSync', ''),
      f('spawnSync', 'node:internal/child_process'),
      f('spawnSync', 'node:child_process'),
      f('execSync', 'node:child_process'),
      USER,
    ]),
    'child_process.execSync',
  );
  const zlib = [
    f('writeSync', ''),
    f('processChunkSync', 'node:zlib'),
    f('zlibBufferSync', 'node:zlib'),
    f('syncBufferWrapper', 'node:zlib'),
    USER,
  ];
  assert.equal(
    operationOf(zlib, (i) => (i === 4 ? '  return zlib.gzipSync(text);' : undefined))?.name,
    'zlib.gzipSync',
  );
  const req = [
    f('readFileSync', 'node:fs'),
    f('Module._extensions..js', 'node:internal/modules/cjs/loader'),
    f('require', 'node:internal/modules/helpers'),
    USER,
  ];
  assert.equal(op(req), 'require');
  assert.equal(op([f('(garbage collector)', '')]), 'garbage collection');
  // A real stack taken right after a long native call: the argument check on top is not the work.
  const after = [
    f('isInt32', 'node:internal/validators'),
    f('writeFile', 'node:fs'),
    f('go$writeFile', 'file:///app/node_modules/graceful-fs/graceful-fs.js'),
  ];
  assert.equal(op(after), 'fs.writeFile');
});

test('built-ins: from a real stack frame, from the line V8 booked them to, past small ones', () => {
  assert.equal(op([f('stringify', ''), USER]), 'JSON.stringify');
  assert.equal(op([USER], '  return JSON.stringify(obj, null, 2);'), 'JSON.stringify');
  assert.equal(op([USER], '  const m = re.exec(text);'), 'RegExp.prototype.exec');
  assert.equal(
    operationOf([f('function trim() { [native code] }', ''), USER], (i) =>
      i === 1 ? '  return JSON.parse(s.trim());' : undefined,
    )?.name,
    'JSON.parse',
  );
  assert.equal(lineOperation('  let x = 1; // JSON.parse(x)'), undefined, 'comments do not count');
  assert.equal(op([f('RegExp: [&<>\'"]', ''), USER]), 'RegExp /[&<>\'"]/');
  assert.equal(op([f('encrypt_sync', ''), USER]), 'native encrypt_sync');
  assert.equal(op([USER]), 'save', 'plain JavaScript of the user: its function');
  // `x += Math.sqrt(x + i)` in a spin loop: the loop is the work, not an addon's `native sqrt`.
  assert.equal(op([f('sqrt', ''), USER]), 'save');
  assert.equal(kindOfStack([f('sqrt', ''), USER]), 'cpu');
});

test('one cause, one kind: conversion is cpu however deep, sync fs is sync-io, native only for an addon', () => {
  const conv = [
    f('', ''),
    f('createFromString', 'node:buffer'),
    f('from', 'node:buffer'),
    f('writeFile', 'node:fs'),
    USER,
  ];
  assert.equal(kindOfStack(conv), 'cpu');
  assert.equal(
    kindOfStack([f('writeFileUtf8', ''), f('writeFileSync', 'node:fs'), USER]),
    'sync-io',
  );
  // V8 may book a long read to the allocation just before it: still the read's.
  assert.equal(
    kindOfStack([f('allocUnsafe', 'node:buffer'), f('readFileSync', 'node:fs'), USER]),
    'sync-io',
  );
  assert.equal(
    kindOfStack([f('run', ''), f('pbkdf2Sync', 'node:internal/crypto/pbkdf2'), USER]),
    'cpu',
  );
  assert.equal(kindOfStack([f('stringify', ''), USER]), 'cpu');
  assert.equal(kindOfStack([f('function trim() { [native code] }', ''), USER]), 'cpu');
  assert.equal(kindOfStack([f('encrypt_sync', ''), USER]), 'native');
  assert.equal(kindOfStack([f('(garbage collector)', '')]), 'gc');
});

test('packages: read from each package.json, outermost first, the one the user called marked', async () => {
  const root = mkdtempSync(join(tmpdir(), 'll-pkg-'));
  const pkg = (name: string, version: string, deps: string[] = []) => {
    const d = join(root, 'node_modules', name);
    mkdirSync(d, { recursive: true });
    const dependencies = Object.fromEntries(deps.map((n) => [n, '*']));
    writeFileSync(join(d, 'package.json'), JSON.stringify({ name, version, dependencies }));
    return join(d, 'index.js');
  };
  const lodash = pkg('lodash', '4.17.21');
  const lowdb = pkg('lowdb', '1.0.0', ['lodash']);
  const scoped = pkg('@scope/x', '2.0.0');
  assert.equal(packageRootOf(scoped), join(root, 'node_modules', '@scope', 'x'));
  assert.equal(packageRootOf('/app/src/a.js'), undefined);
  const r = new PackageResolver();
  // Innermost first: node:fs < lowdb < lodash (its chain wrapper) < the user's save.
  const files = ['node:fs', lowdb, lodash, '/app/store.js', '/app/main.js'];
  const p = await r.chainOf(files, 3);
  assert.deepEqual(p, {
    name: 'lowdb',
    version: '1.0.0',
    chain: [
      { name: 'lodash', version: '4.17.21' },
      { name: 'lowdb', version: '1.0.0', direct: true },
    ],
  });
  assert.equal(await r.chainOf(['/app/a.js'], 0), undefined, 'no package involved');
  assert.equal(await r.entryOf([lowdb, lowdb], ['write', 'db.write']), 'lowdb.write');
});

test('the package an operation ran in is not a wrapper that passes the call through', async () => {
  const root = mkdtempSync(join(tmpdir(), 'll-pass-'));
  const pkg = (name: string, deps: string[] = []) => {
    const d = join(root, 'node_modules', name);
    mkdirSync(d, { recursive: true });
    const dependencies = Object.fromEntries(deps.map((n) => [n, '*']));
    writeFileSync(
      join(d, 'package.json'),
      JSON.stringify({ name, version: '1.0.0', dependencies }),
    );
    return join(d, 'index.js');
  };
  const [gfs, steno, pify] = [pkg('graceful-fs'), pkg('steno', ['graceful-fs']), pkg('pify')];
  const lowdb = pkg('lowdb', ['graceful-fs', 'pify', 'steno']);
  const server = pkg('json-server', ['lowdb']);
  const r = new PackageResolver();
  const ran = async (frames: Array<[string, string, string?]>, user?: number) =>
    (await r.chainOf(
      frames.map((x) => x[1]),
      user,
      { names: frames.map((x) => x[0]), lines: frames.map((x) => x[2]) },
    ))!;
  // json-server's POST (a profile's stack): lowdb serialises the database and hands it down;
  // pify promisifies steno's writeFile, which calls graceful-fs's, which calls fs.writeFile.
  const write: Array<[string, string, string?]> = [
    ['from', 'node:buffer'],
    ['writeFile', 'node:fs'],
    ['go$writeFile', gfs, '    return fs$writeFile(path, data, options, function (err) {'],
    ['writeFile', gfs, '  return go$writeFile(path, data, options, cb)'],
    ['Writer.write', steno, '    fs.writeFile(tmpFile, data, function (err) {'],
    ['module.exports.writeFile', steno, '  writers[file].write(data, cb)'],
    ['(anonymous)', pify, '\t\tfn.apply(this, args);'],
    ['(anonymous)', pify, '\treturn new P((resolve, reject) => {'],
    ['ret', pify, '\t\treturn processFn(obj, opts).apply(this, arguments);'],
    ['write', lowdb, '      return writeFile(this.source, this.serialize(data));'],
    ['db.write', lowdb, '    return db.getState().then(…) // a call of write()'],
    ['(anonymous)', server, '    db.write()'],
  ];
  const p = await ran(write);
  assert.equal(p.name, 'lowdb');
  assert.deepEqual(
    p.chain.map((c) => `${c.name}${c.direct ? '*' : ''}`),
    ['json-server*', 'lowdb', 'pify', 'steno', 'graceful-fs'],
  );
  // A real stack (the probe's) shows the promise between pify's frames: the same answer.
  const probed = [...write.slice(0, 7), ['Promise', '(native)'], ...write.slice(7)];
  assert.equal((await ran(probed as typeof write)).name, 'lowdb');
  // Without the call lines, pify's promise wrapper is not seen as one.
  assert.equal((await ran(write.map(([n, f]) => [n, f]))).name, 'pify');
  // steno writing what it queued, from its rename callback: steno's own work decides.
  const queued: typeof write = [...write.slice(0, 5), ['(anonymous)', steno]];
  assert.equal((await ran(queued)).name, 'steno');
  // The user's code calling graceful-fs itself: nothing else to name.
  const own: typeof write = [...write.slice(0, 4), ['save', '/app/store.js']];
  assert.equal((await ran(own, 4)).name, 'graceful-fs');
  // V8's compiled regexp code as the leaf: its source is no function name, nor a pattern (js-yaml's
  // float pattern has an unmatched ')' after its last '.', which crashed the recorder).
  const yaml = pkg('js-yaml');
  const regexpLeaf: typeof write = [
    ['RegExp: ^(?:[-+]?[0-9_]*(?:\\.[0-9_]*)?|\\.(?:nan|NaN|NAN))$', ''],
    ['resolveYamlFloat', yaml, '  if (!YAML_FLOAT_PATTERN.test(data) ||'],
    ['readPlainScalar', yaml, '    return resolveYamlFloat(result)'],
    ['load', '/app/app.js', '  const doc = yaml.load(text);'],
  ];
  assert.equal((await ran(regexpLeaf, 3)).name, 'js-yaml');
});

test('starved: under a threshold of CPU, and what is left after the wait is under it too', () => {
  const T = 50_000;
  assert.equal(judge(52_000, 5_000, 30_000, T), 'starved');
  assert.equal(judge(55_300, 7_000, 32_600, T), 'starved');
  assert.equal(judge(200_000, 60_000, 140_000, T), 'code', 'a threshold of CPU: the code');
  assert.equal(judge(450_000, 350_000, 100_000, T), 'code', 'however long it also waited');
  assert.equal(judge(55_000, 0, 45_000, T), 'code', 'no wait: CPU read a little short');
  assert.equal(judge(60_000, 2_000, 5_000, T), 'asleep', 'little CPU, little wait: idle');
  assert.equal(judge(300_000, 280_000, 10_000, T), 'starved');
  assert.equal(judge(52_000, 0, undefined, T), 'code', 'no /proc: cannot tell');
});
