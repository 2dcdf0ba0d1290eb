/**
 * The summary worker thread of the workspace scan: the built worker (dist/summaryWorker.js, the
 * bundle the server starts) returns the same entries as summarising on the event loop; a
 * missing or crashing worker answers undefined, so the scan falls back to the event loop.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readSource } from '../../../server/src/analysis/files';
import { summarizeEntry } from '../../../server/src/analysis/fileEntry';
import { SummaryWorkerClient } from '../../../server/src/handlers/summaryWorkerClient';
import { nullLogger } from '../../../src/common/logger';

const dir = mkdtempSync(join(tmpdir(), 'loop-lens-summary-worker-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const built = join(__dirname, '..', '..', '..', 'dist', 'summaryWorker.js');

const files = {
  'a.ts':
    "import * as fs from 'node:fs';\nexport async function a(p: string) {\n  return fs.readFileSync(p);\n}\n",
  'b.js': "const { load } = require('./a');\nsetInterval(() => load('x'), 10);\n",
  'broken.ts': 'export function ( {',
};
for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);

test(
  'the built worker summarises as the event loop does',
  { skip: !existsSync(built) && 'run the build first' },
  async () => {
    const client = new SummaryWorkerClient(built, nullLogger);
    try {
      const names = [...Object.keys(files), 'missing.ts'];
      const entries = await client.summarize(names.map((n) => ({ file: join(dir, n) })));
      assert.ok(entries, 'the worker answered');
      const here = names.map((n) => summarizeEntry(join(dir, n), readSource(join(dir, n)), {}));
      assert.deepEqual(entries, JSON.parse(JSON.stringify(here)));
      assert.equal(entries[0]!.summary!.fns.length, 2, 'the top level and a()');
      assert.equal(entries[3]!.note?.kind, 'error', 'an unreadable file is a note');
    } finally {
      client.dispose();
    }
  },
);

test('no worker bundle: undefined, and the caller summarises itself', async () => {
  const client = new SummaryWorkerClient(join(dir, 'nothing.js'), nullLogger);
  assert.equal(await client.summarize([{ file: join(dir, 'a.ts') }]), undefined);
});

test('a worker that dies answers what was pending with undefined', async () => {
  const script = join(dir, 'crash.js');
  writeFileSync(
    script,
    "require('node:worker_threads').parentPort.on('message', () => { throw new Error('boom'); });",
  );
  const client = new SummaryWorkerClient(script, nullLogger);
  assert.equal(await client.summarize([{ file: join(dir, 'a.ts') }]), undefined);
  assert.equal(await client.summarize([{ file: join(dir, 'a.ts') }]), undefined, 'and stays off');
});

test(
  'with claims the worker skips the files the event loop took, and says how many it did',
  { skip: !existsSync(built) && 'run the build first' },
  async () => {
    const client = new SummaryWorkerClient(built, nullLogger);
    try {
      const names = Object.keys(files);
      const claims = new SharedArrayBuffer(4 * names.length);
      const slots = new Int32Array(claims);
      Atomics.store(slots, 0, 2); // a.ts: taken by the event loop
      const answer = await client.request(
        names.map((n) => ({ file: join(dir, n) })),
        undefined,
        { claims },
      );
      assert.ok(answer);
      assert.equal(answer.entries[0], null, 'the claimed file is left alone');
      assert.ok(answer.entries[1]?.summary && answer.entries[2], 'the others are summarised');
      assert.equal(answer.done, names.length - 1);
      assert.deepEqual([...slots], [2, 1, 1], 'the worker claimed what it did');
    } finally {
      client.dispose();
    }
  },
);

test(
  'cache files written after the answers are on disk once close resolves',
  { skip: !existsSync(built) && 'run the build first' },
  async () => {
    const client = new SummaryWorkerClient(built, nullLogger);
    const root = join(dir, 'cache');
    const answer = await client.request([{ file: join(dir, 'a.ts') }], { root, engine: 'e' });
    assert.equal(answer?.cached, 0);
    await client.close();
    assert.ok(existsSync(join(root, 'e')), 'the summary was written');
    const again = new SummaryWorkerClient(built, nullLogger);
    try {
      const second = await again.request([{ file: join(dir, 'a.ts') }], { root, engine: 'e' });
      assert.equal(second?.cached, 1, 'and a new worker reads it from the cache');
    } finally {
      again.dispose();
    }
  },
);
