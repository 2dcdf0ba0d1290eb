/** Pure parts of "blocked on what": the syscall text, the socket tables, the summaries. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { formatStallLine } from '../../../../src/cli/recordOutput';
import { countLabels, summarizeLabels } from '../../../../src/runtime/waitingOn/observe';
import { peerOf } from '../../../../src/runtime/waitingOn/resolve';
import { isIdleWait, parseSyscall } from '../../../../src/runtime/waitingOn/syscalls';
import type { Stall } from '../../../../src/shared/protocol/runtime';

describe('parseSyscall', () => {
  it('reads a read(2) on fd 23 (x64) with its descriptor', () => {
    const s = parseSyscall('0 0x17 0x7f3c 0x10000 0x0 0x0 0x0 0x7ffd 0x7f3b\n', 'x64');
    assert.deepEqual(s, { in: 'call', nr: 0, name: 'read', arg: 'fd', arg0: 23 });
  });

  it('reads the same call on arm64 by its own number', () => {
    const s = parseSyscall('63 0x17 0x7f3c 0x10000 0x0 0x0 0x0 0x7ffd 0x7f3b', 'arm64');
    assert.equal(s?.in === 'call' && s.name, 'read');
  });

  it('reads wait4(-1) as a wait for any child', () => {
    const s = parseSyscall('61 0xffffffffffffffff 0x7ffd 0x0 0x0 0x0 0x0 0x7ffd 0x7f3b', 'x64');
    assert.deepEqual(s, { in: 'call', nr: 61, name: 'wait4', arg: 'pid', arg0: -1 });
  });

  it('tells running, asleep outside a call, and unreadable text apart', () => {
    assert.deepEqual(parseSyscall('running\n'), { in: 'running' });
    assert.deepEqual(parseSyscall('-1 0x7ffd 0x7f3b\n'), { in: 'none' });
    assert.equal(parseSyscall(''), undefined);
    assert.equal(parseSyscall('garbage'), undefined);
  });

  it('names an unknown call by number and counts futex and epoll as idle waits', () => {
    const s = parseSyscall('999 0x1 0x0 0x0 0x0 0x0 0x0 0x0 0x0', 'x64');
    assert.equal(s?.in === 'call' && s.name, 'syscall 999');
    assert.equal(isIdleWait(parseSyscall('202 0x1 0x0 0x0 0x0 0x0 0x0 0x0 0x0', 'x64')!), true);
    assert.equal(isIdleWait(parseSyscall('281 0x1 0x0 0x0 0x0 0x0 0x0 0x0 0x0', 'x64')!), true);
    assert.equal(isIdleWait(parseSyscall('0 0x1 0x0 0x0 0x0 0x0 0x0 0x0 0x0', 'x64')!), false);
  });
});

describe('peerOf', () => {
  const header =
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
  it('reads the remote address and port of a connected IPv4 socket', () => {
    const row =
      '   0: 0100007F:A3D2 0100007F:1538 01 00000000:00000000 00:00000000 00000000  1000        0 424242 1 0\n';
    assert.equal(peerOf(header + row, '424242'), '127.0.0.1:5432');
    assert.equal(peerOf(header + row, '1'), undefined);
  });

  it('reads a listening socket as its local address, and an IPv4-mapped IPv6 peer as IPv4', () => {
    const listen =
      '   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 777 1 0\n';
    assert.equal(peerOf(header + listen, '777'), 'listening 0.0.0.0:8080');
    const v6 =
      '   0: 00000000000000000000000000000000:1F90 0000000000000000FFFF00000A00000A:01BB 01 0:0 00:0 0 1000 0 888 1 0\n';
    assert.equal(peerOf(header + v6, '888'), '10.0.0.10:443');
  });
});

describe('summaries', () => {
  it('gives each label its share, largest first, the rest as other', () => {
    const l = [...Array(8).fill('read /data/big.bin (D)'), 'running', 'running'];
    assert.equal(summarizeLabels(l), 'read /data/big.bin (D) 80 %, running 20 %');
    assert.equal(summarizeLabels(['a', 'b', 'c', 'd'], 2), 'a 25 %, b 25 %, other 50 %');
    assert.equal(summarizeLabels([]), undefined);
  });

  it('counts what several threads do at once', () => {
    assert.equal(countLabels(['read /a (S)', 'running', 'read /a (S)']), 'read /a (S) ×2, running');
  });
});

describe('the CLI line of a stall that waited on something', () => {
  it('keeps the stall line as it was and says what it waited on under it', () => {
    const stall: Stall = {
      startMs: 1200,
      durationMs: 150,
      kind: 'sync-io',
      stack: [],
      blame: { functionName: 'load', file: '/app/src/a.js', line: 3, column: 1 },
      operation: 'fs.readFileSync',
      waitingOn: 'read /data/big.bin (D) 80 %, running 20 %',
    };
    const [line, under, more] = formatStallLine(stall, '/app').split('\n');
    assert.equal(line, '   +1.200s    150 ms  sync-io  fs.readFileSync ← src/a.js:3 load');
    assert.equal(under, `${' '.repeat(31)}waiting on read /data/big.bin (D) 80 %, running 20 %`);
    assert.equal(more, undefined);
  });
});
