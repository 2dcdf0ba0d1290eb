/**
 * `loop-lens record --prometheus`, scraped by a real Prometheus server (1 s scrape interval):
 * the stall counts by blamed line that Prometheus holds equal the recording's. Prometheus
 * missing is a failure with a clear message (CI installs it with scripts/setup.sh), not a skip.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import type { Recording } from '../../src/shared/protocol/runtime';
import { waitFor } from '../waitFor';
import { cli, kill } from './cliHelpers';
import { startPrometheus } from './prometheusServer';
import { BLOCKER, ROOT, blockLine, startTarget } from './runtimeHelpers';

type Counts = Record<string, number>;

function countsBy(rows: Array<{ metric: Record<string, string>; value: number }>): Counts {
  const out: Counts = {};
  for (const r of rows) out[r.metric.line] = (out[r.metric.line] ?? 0) + r.value;
  return out;
}

describe('loop-lens record --prometheus, scraped by a real Prometheus', () => {
  it('holds the stall counts by blamed line that the recording has', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loop-lens-fleet-'));
    const out = join(dir, 'rec.json');
    const t = await startTarget(BLOCKER);
    const rec = cli([
      'record',
      '--port',
      String(t.port),
      '--mode',
      'watch',
      '--prometheus',
      '0',
      '--out',
      out,
    ]);
    let prom: Awaited<ReturnType<typeof startPrometheus>> | undefined;
    try {
      const m = await rec.waitFor(
        'stderr',
        /Prometheus metrics at http:\/\/127\.0\.0\.1:(\d+)\/metrics \(loopback only/,
      );
      await rec.waitFor('stderr', /Recording /);
      prom = await startPrometheus([`127.0.0.1:${m[1]}`]);
      const p = prom;
      await waitFor(
        async () => (await p.query('up{job="loop-lens"}'))[0]?.value === 1,
        'a first scrape',
      );
      for (const cmd of ['cpu 150', 'exec', 'cpu 150', 'exec', 'cpu 150']) await t.run(cmd);
      // The target is quiet now: wait until two scrapes in a row hold the same counts, and as
      // many stalls as the CLI printed.
      let lastScrape = 0;
      let previous = '';
      await waitFor(async () => {
        const at = (await p.query('timestamp(up{job="loop-lens"})'))[0]?.value ?? 0;
        if (at <= lastScrape) return false;
        lastScrape = at;
        const counts = countsBy(await p.query('loop_lens_line_stalls_total'));
        const printed = rec
          .out()
          .split('\n')
          .filter((l) => /^\s+\+\d/.test(l)).length;
        const total = Object.values(counts).reduce((a, b) => a + b, 0);
        const now = JSON.stringify(counts);
        const stable = now === previous && total === printed && printed > 0;
        previous = now;
        return stable;
      }, 'Prometheus to hold every stall the recorder printed, twice in a row');
      const scraped = countsBy(await p.query('loop_lens_line_stalls_total'));
      rec.child.kill('SIGINT');
      assert.equal((await rec.exited).code, 0, rec.err());
      const recording = JSON.parse(readFileSync(out, 'utf8')) as Recording;
      const byLine: Counts = {};
      for (const s of recording.stalls) {
        const b = s.blame;
        if (!b) continue;
        const line = `${relative(ROOT, b.file)}:${b.line}${b.functionName ? ` ${b.functionName}` : ''}`;
        byLine[line] = (byLine[line] ?? 0) + 1;
      }
      const blamed = Object.fromEntries(Object.entries(scraped).filter(([l]) => l !== '(no line)'));
      assert.deepEqual(blamed, byLine, `scraped ${JSON.stringify(scraped)}`);
      // Both blocking lines are there: the comparison is not between two empty sets.
      const cpu = `:${blockLine(BLOCKER, 'cpu')} spinCpu`;
      const exec = `:${blockLine(BLOCKER, 'exec')} runShell`;
      assert.ok(
        Object.keys(byLine).some((l) => l.endsWith(cpu)),
        JSON.stringify(byLine),
      );
      assert.ok(
        Object.keys(byLine).some((l) => l.endsWith(exec)),
        JSON.stringify(byLine),
      );
    } finally {
      await prom?.stop();
      await kill(rec);
      t.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
