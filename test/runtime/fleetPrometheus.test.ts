/**
 * `loop-lens record --prometheus`, scraped by a real Prometheus server (1 s scrape interval):
 * the stall counts by blamed line that Prometheus holds equal the recording's. Prometheus
 * missing is a failure with a clear message (CI installs it with scripts/setup.sh), not a skip.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { waitFor } from '../waitFor';
import {
  lineLabel,
  recordBlocker,
  tally,
  waitForEveryStallScraped,
  type Counts,
} from './fleetHelpers';
import { startPrometheus, type Prometheus } from './prometheusServer';
import { BLOCKER, blockLine } from './runtimeHelpers';

function countsBy(rows: Array<{ metric: Record<string, string>; value: number }>): Counts {
  const out: Counts = {};
  for (const r of rows) out[r.metric.line] = (out[r.metric.line] ?? 0) + r.value;
  return out;
}

describe('loop-lens record --prometheus, scraped by a real Prometheus', () => {
  it('holds the stall counts by blamed line that the recording has', async () => {
    const run = await recordBlocker(['--prometheus', '0']);
    let prom: Prometheus | undefined;
    try {
      const m = await run.rec.waitFor(
        'stderr',
        /Prometheus metrics at http:\/\/127\.0\.0\.1:(\d+)\/metrics \(loopback only/,
      );
      await run.rec.waitFor('stderr', /Recording /);
      const p = (prom = await startPrometheus([`127.0.0.1:${m[1]}`]));
      await waitFor(async () => (await p.query('up{job="loop-lens"}'))[0]?.value === 1, 'a scrape');
      for (const cmd of ['cpu 150', 'exec', 'cpu 150', 'exec', 'cpu 150']) await run.t.run(cmd);
      // The target is quiet now: every stall the CLI printed is scraped.
      await waitForEveryStallScraped(p, run.rec, async () =>
        countsBy(await p.query('loop_lens_line_stalls_total')),
      );
      const scraped = countsBy(await p.query('loop_lens_line_stalls_total'));
      const recording = await run.stop();
      const byLine = tally(recording.stalls.filter((s) => s.blame).map(lineLabel));
      const blamed = Object.fromEntries(Object.entries(scraped).filter(([l]) => l !== '(no line)'));
      assert.deepEqual(blamed, byLine, `scraped ${JSON.stringify(scraped)}`);
      // Both blocking lines are there: the comparison is not between two empty sets.
      const lines = Object.keys(byLine);
      assert.ok(
        lines.some((l) => l.endsWith(`:${blockLine(BLOCKER, 'cpu')} spinCpu`)),
        lines.join(),
      );
      assert.ok(
        lines.some((l) => l.endsWith(`:${blockLine(BLOCKER, 'exec')} runShell`)),
        lines.join(),
      );
    } finally {
      await prom?.stop();
      await run.dispose();
    }
  });
});
