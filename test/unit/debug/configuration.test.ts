import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationError,
  formatStall,
  isLoopback,
  mapRemotePath,
  mapStall,
  parseRemote,
  targetHost,
  toRecordOptions,
} from '../../../src/debug/configuration';
import type { Stall } from '../../../src/shared/protocol/runtime';

describe('loop-lens attach configuration', () => {
  test('processId becomes a pid target, also in the picker form "pid:port"', () => {
    assert.deepEqual(toRecordOptions('attach', { processId: 4242 }).target, {
      kind: 'pid',
      pid: 4242,
    });
    assert.deepEqual(toRecordOptions('attach', { processId: '4242:9230' }).target, {
      kind: 'pid',
      pid: 4242,
    });
  });

  test('several processes picked ("pid,pid:port"): the first is the target, the others recorded with it', () => {
    const o = toRecordOptions('attach', { processId: '4242,4243:9230, 4244' });
    assert.deepEqual(o.target, { kind: 'pid', pid: 4242 });
    assert.deepEqual(o.alsoTargets, [
      { kind: 'pid', pid: 4243 },
      { kind: 'pid', pid: 4244 },
    ]);
    assert.equal(toRecordOptions('attach', { processId: 4242 }).alsoTargets, undefined);
    assert.throws(() => toRecordOptions('attach', { processId: '4242,x' }), /processId must be/);
  });

  test('port defaults to loopback; websocketUrl wins over port', () => {
    assert.deepEqual(toRecordOptions('attach', { port: 9229 }).target, {
      kind: 'port',
      port: 9229,
      host: '127.0.0.1',
    });
    const ws = 'ws://127.0.0.1:9229/abc';
    assert.deepEqual(toRecordOptions('attach', { port: 1, websocketUrl: ws }).target, {
      kind: 'ws',
      url: ws,
    });
  });

  test('bad input is a ConfigurationError that names the field', () => {
    assert.throws(() => toRecordOptions('attach', {}), /processId.*port.*websocketUrl/);
    assert.throws(() => toRecordOptions('attach', { processId: 'abc' }), ConfigurationError);
    assert.throws(() => toRecordOptions('attach', { port: 70000 }), /port must be 1-65535/);
    assert.throws(() => toRecordOptions('attach', { websocketUrl: 'http://x' }), /ws:\/\//);
  });

  test('threshold, mode and roots are passed through to the engine', () => {
    const o = toRecordOptions('attach', {
      port: 9229,
      thresholdMs: 20,
      mode: 'watch',
      localRoot: '/w',
      remoteRoot: '/app',
    });
    assert.equal(o.thresholdMs, 20);
    assert.equal(o.mode, 'watch');
    assert.equal(o.localRoot, '/w');
    assert.equal(o.remoteRoot, '/app');
  });
});

describe('loop-lens launch configuration', () => {
  test('program runs under node with its args, cwd defaults to its folder', () => {
    const t = toRecordOptions('launch', { program: '/w/app.js', args: ['--x'] }).target;
    assert.deepEqual(t, {
      kind: 'launch',
      command: 'node',
      args: ['/w/app.js', '--x'],
      cwd: '/w',
      env: undefined,
    });
  });

  test('an npm script runs through runtimeExecutable and runtimeArgs', () => {
    const t = toRecordOptions('launch', {
      runtimeExecutable: 'npm',
      runtimeArgs: ['run', 'start'],
      cwd: '/w',
    }).target;
    assert.deepEqual(t, {
      kind: 'launch',
      command: 'npm',
      args: ['run', 'start'],
      cwd: '/w',
      env: undefined,
    });
  });

  test('a relative program resolves against cwd; nothing to run is an error', () => {
    const t = toRecordOptions('launch', { program: 'src/a.js', cwd: '/w' }).target;
    assert.equal(t.kind === 'launch' && t.args[0], path.resolve('/w', 'src/a.js'));
    assert.throws(() => toRecordOptions('launch', {}), /needs "program"/);
  });
});

describe('remote addresses and paths', () => {
  test('loopback detection', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) {
      assert.ok(isLoopback(h), h);
    }
    for (const h of ['10.0.0.5', '0.0.0.0', 'example.com', '::']) assert.ok(!isLoopback(h), h);
  });

  test('targetHost reads the host of port and ws targets only', () => {
    assert.equal(targetHost({ kind: 'port', port: 1, host: '10.1.1.1' }), '10.1.1.1');
    assert.equal(targetHost({ kind: 'ws', url: 'ws://box:9229/x' }), 'box');
    assert.equal(targetHost({ kind: 'pid', pid: 1 }), undefined);
  });

  test('remoteRoot maps to localRoot; file URLs become paths; other paths stay', () => {
    assert.equal(
      mapRemotePath('/app/src/a.js', '/home/me/proj', '/app'),
      path.join('/home/me/proj', 'src', 'a.js'),
    );
    assert.equal(
      mapRemotePath('/app/src/a.js', '/home/me/proj', '/app/'),
      path.join('/home/me/proj', 'src', 'a.js'),
    );
    assert.equal(mapRemotePath('/application/a.js', '/home/me/proj', '/app'), '/application/a.js');
    assert.equal(mapRemotePath(pathToFileURL('/w/b.js').href), '/w/b.js');
    assert.equal(mapRemotePath('node:fs', '/l', '/r'), 'node:fs');
  });

  test('mapStall maps the blame and every frame', () => {
    const f = { functionName: 'f', file: '/app/x.js', line: 3, column: 1 };
    const s: Stall = {
      startMs: 0,
      durationMs: 60,
      kind: 'cpu',
      blame: f,
      stack: [f, { ...f, file: 'node:internal' }],
    };
    const m = mapStall(s, '/w', '/app');
    assert.equal(m.blame?.file, path.join('/w', 'x.js'));
    assert.deepEqual(
      m.stack.map((x) => x.file),
      [path.join('/w', 'x.js'), 'node:internal'],
    );
    assert.equal(s.blame?.file, '/app/x.js', 'the input is not mutated');
  });

  test('formatStall names time, duration, kind, function and file:line', () => {
    const s: Stall = {
      startMs: 3210,
      durationMs: 151.6,
      kind: 'sync-io',
      blame: { functionName: 'readBig', file: '/w/a.js', line: 12, column: 3 },
      stack: [],
    };
    assert.equal(formatStall(s), '+3.21 s  stall 152 ms  sync-io  readBig  a.js:12');
    assert.match(formatStall({ ...s, blame: undefined }), /no user frame/);
    assert.equal(
      formatStall({ ...s, thread: { id: 1, name: 'cruncher' } }),
      '+3.21 s  stall 152 ms  sync-io  [worker 1: cruncher]  readBig  a.js:12',
    );
    assert.equal(formatStall({ ...s, thread: { id: 0, name: 'main' } }), formatStall(s));
    const pkg = { name: 'lowdb', version: '1.0.0', chain: [] };
    assert.equal(
      formatStall({ ...s, operation: 'fs.readFileSync', package: pkg }),
      '+3.21 s  stall 152 ms  sync-io  readBig  a.js:12  (fs.readFileSync in lowdb@1.0.0)',
    );
    const starved = { ...s, kind: 'starved' as const, starvation: { waitShare: 0.7 } };
    assert.match(formatStall(starved), /starved {2}70% waiting for a CPU/);
  });
});

describe('remote address input', () => {
  test('host:port, :port, port, [v6]:port and ws URLs parse; anything else says what to type', () => {
    assert.deepEqual(parseRemote('10.0.0.5:9229'), { address: '10.0.0.5', port: 9229 });
    assert.deepEqual(parseRemote(' 9230 '), { address: '127.0.0.1', port: 9230 });
    assert.deepEqual(parseRemote('[::1]:9229'), { address: '::1', port: 9229 });
    assert.deepEqual(parseRemote('ws://box:9229/abc'), { websocketUrl: 'ws://box:9229/abc' });
    assert.match(String(parseRemote('box:99999')), /1-65535/);
    assert.match(String(parseRemote('http://box')), /host:port/);
  });
});

test('keepInspector is passed on for attach only', () => {
  assert.equal(
    toRecordOptions('attach', { processId: 7, keepInspector: true }).keepInspector,
    true,
  );
  assert.equal(toRecordOptions('attach', { processId: 7 }).keepInspector, undefined);
  assert.equal(
    toRecordOptions('launch', { program: 'a.js', keepInspector: true }).keepInspector,
    undefined,
  );
});
