/**
 * `loop-lens record --prometheus` of two processes, one with a worker thread, scraped by a real
 * Prometheus server (1 s scrape interval): every recorded thread of every process has its own
 * loop delay histogram and ELU series labelled with its pid and thread, and the stall counts
 * Prometheus holds per pid and thread equal the recording's.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Recording } from '../../src/shared/protocol/runtime';
import { waitFor } from '../waitFor';
import { cli, kill } from './cliHelpers';
import { waitForEveryStallScraped } from './fleetHelpers';
import { startPrometheus, type Prometheus } from './prometheusServer';
import { BLOCKER, FIXTURES, startTarget } from './runtimeHelpers';

type Row = { metric: Record<string, string>; value: number };

/** `pid/thread_id/thread` → value, summed over the other labels. */
function byThread(rows: Row[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { metric: m, value } of rows) {
    const k = `${m.pid}/${m.thread_id}/${m.thread}`;
    out[k] = (out[k] ?? 0) + value;
  }
  return out;
}

describe('loop-lens record --prometheus: every process and thread, scraped by a real Prometheus', () => {
  it('serves each thread its own delay and ELU series, and its stall counts as recorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loop-lens-fleet-threads-'));
    const out = join(dir, 'rec.json');
    const workers = await startTarget(join(FIXTURES, 'workers.js'));
    const blocker = await startTarget(BLOCKER);
    let prom: Prometheus | undefined;
    const rec = cli([
      'record',
      '--port',
      String(workers.port),
      '--port',
      String(blocker.port),
      '--mode',
      'watch',
      '--out',
      out,
      '--prometheus',
      '0',
    ]);
    try {
      const [workerId] = (await workers.run('start cruncher')).result.split(' ').map(Number);
      const m = await rec.waitFor('stderr', /Prometheus metrics at http:\/\/127\.0\.0\.1:(\d+)\//);
      await rec.waitFor('stderr', /Recording /);
      const p = (prom = await startPrometheus([`127.0.0.1:${m[1]}`]));
      const threads = [
        `${workers.pid}/0/main`,
        `${workers.pid}/${workerId}/cruncher`,
        `${blocker.pid}/0/main`,
      ].sort();
      // Each thread's samples arrive once it is recorded (the worker attaches on its own).
      await waitFor(async () => {
        const elu = byThread(await p.query('loop_lens_event_loop_utilization'));
        return Object.keys(elu).sort().join() === threads.join();
      }, 'an ELU series of each thread');
      for (const cmd of ['wcpu cruncher 150', 'cpu 150', 'wcpu cruncher 150']) {
        await workers.run(cmd);
      }
      await blocker.run('cpu 150');
      await waitForEveryStallScraped(p, rec, async () =>
        byThread(await p.query('loop_lens_stalls_total')),
      );
      const scraped = byThread(await p.query('loop_lens_stalls_total'));
      const delays = byThread(await p.query('loop_lens_event_loop_delay_seconds_count'));
      const elu = await p.query('loop_lens_event_loop_utilization');
      rec.child.kill('SIGINT');
      const { code } = await rec.exited;
      assert.equal(code, 0, rec.err());
      const recording = JSON.parse(readFileSync(out, 'utf8')) as Recording;

      // The recording's threads are the series' threads: a delay histogram and an ELU each.
      const recorded = (recording.processes ?? [])
        .flatMap((x) => x.threads.map((t) => `${x.pid}/${t.id}/${t.id === 0 ? 'main' : t.name}`))
        .sort();
      assert.deepEqual(recorded, threads);
      assert.deepEqual(Object.keys(delays).sort(), threads);
      for (const t of threads) assert.ok(delays[t] > 0, `no delay samples of ${t}`);
      for (const r of elu) assert.ok(r.value >= 0 && r.value <= 1, JSON.stringify(r));

      // Stall counts by pid and thread, as recorded; the worker's and both main threads' there.
      const fromRecording: Record<string, number> = {};
      for (const s of recording.stalls) {
        const id = s.thread?.id ?? 0;
        const k = `${s.pid}/${id}/${id === 0 ? 'main' : s.thread?.name}`;
        fromRecording[k] = (fromRecording[k] ?? 0) + 1;
      }
      assert.deepEqual(scraped, fromRecording);
      for (const k of threads) assert.ok(fromRecording[k] > 0, JSON.stringify(fromRecording));
    } finally {
      await prom?.stop();
      await kill(rec);
      workers.kill();
      blocker.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
