/**
 * `loop-lens record --port` against fake inspector endpoints on 127.0.0.1 that refuse, close
 * mid-message, send garbage, never answer or answer slowly (test/robustness/fakeInspector.ts):
 * each ends with exit code 2 and a message naming the endpoint and what went wrong, and the CLI
 * process exits by itself (no hang: a hang would be this test's timeout).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAULTS, startFakeInspector, type Fault } from '../robustness/fakeInspector';
import { cli } from './cliHelpers';

/** What the message says, per fault, after "cannot record 127.0.0.1:<port>: ". */
const REASON: Record<Fault, RegExp> = {
  refuses: /cannot reach a Node\.js inspector .*ECONNREFUSED/,
  'http-closes': /cannot reach a Node\.js inspector .*(socket hang up|ECONNRESET)/,
  'http-garbage': /cannot reach a Node\.js inspector .*Parse Error/,
  'http-silent': /cannot reach a Node\.js inspector .*no answer within 4500 ms/,
  'http-slow': /cannot reach a Node\.js inspector .*no answer within 4500 ms/,
  'http-not-inspector': /did not answer with JSON \(not an inspector\?\)/,
  'ws-refuses-upgrade': /cannot open the inspector session at ws:.*400/,
  'ws-closes-mid-message': /the inspector session is closed/,
  'ws-garbage':
    /no inspector answered within 5 s|the inspector session is closed|the inspector sent a message that is not JSON/,
  'ws-not-json': /the inspector sent a message that is not JSON/,
  'ws-silent': /no inspector answered within 5 s/,
  'ws-slow': /no inspector answered within 5 s/,
};

test(
  'record --port against a misbehaving inspector: a clear error, exit code 2, no hang',
  { timeout: 120_000 },
  async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'll-faults-')), 'never.json');
    const results = await Promise.all(
      FAULTS.map(async (fault) => {
        const fake = await startFakeInspector(fault);
        try {
          const p = cli(['record', '--port', String(fake.port), '--out', out]);
          const { code } = await p.exited;
          return { fault, port: fake.port, code, err: p.err() };
        } finally {
          await fake.close();
        }
      }),
    );
    for (const r of results) {
      assert.equal(r.code, 2, `${r.fault}: exit ${r.code}\n${r.err}`);
      assert.match(
        r.err,
        new RegExp(`^loop-lens record: cannot record 127\\.0\\.0\\.1:${r.port}: `),
        r.fault,
      );
      assert.match(r.err, REASON[r.fault], `${r.fault}: ${r.err}`);
    }
  },
);
