/**
 * `loop-lens record --otlp URL` pushes through the OpenTelemetry SDK (OTLP/HTTP, JSON) to a small
 * in-process receiver: the stall counts by blamed line and by kind it last received, and one log
 * record per stall with its line, equal the recording's.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { waitFor } from '../waitFor';
import { lineLabel, recordBlocker, tally, type Counts } from './fleetHelpers';
import { lastPoints, logRecords, startOtlpReceiver } from './otlpReceiver';
import { BLOCKER, blockLine } from './runtimeHelpers';

describe('loop-lens record --otlp, received over OTLP/HTTP', () => {
  it('pushes the stall counts by line and kind, and a log record per stall, as recorded', async () => {
    const receiver = await startOtlpReceiver();
    const run = await recordBlocker(['--otlp', receiver.url, '--otlp-interval', '1']);
    try {
      await run.rec.waitFor(
        'stderr',
        /OpenTelemetry: pushing .* to http:\/\/127\.0\.0\.1:\d+ every 1 s/,
      );
      await run.rec.waitFor('stderr', /Recording /);
      for (const cmd of ['cpu 150', 'exec', 'cpu 150']) await run.t.run(cmd);
      // A push while recording (the periodic reader), then the last one when the recorder stops.
      await waitFor(
        () =>
          lastPoints(receiver, 'loop_lens.line.stalls').length > 0 &&
          lastPoints(receiver, 'loop_lens.event_loop.utilization').length > 0,
        'a push with stalls and a metrics sample',
      );
      const recording = await run.stop();
      const byLine = tally(recording.stalls.map(lineLabel));
      const byKind = tally(recording.stalls.map((s) => s.kind));
      const pushed = (name: string, key: string): Counts =>
        Object.fromEntries(lastPoints(receiver, name).map(([a, v]) => [String(a[key]), v]));
      assert.deepEqual(pushed('loop_lens.line.stalls', 'line'), byLine);
      assert.deepEqual(pushed('loop_lens.stalls', 'kind'), byKind);
      const logs = logRecords(receiver);
      assert.deepEqual(tally(logs.map((l) => String(l.attributes['loop_lens.line']))), byLine);
      // Labelled with process and thread as /metrics is (fleetThreads.test.ts: several of each).
      const main = { pid: String(run.t.pid), thread: 'main', thread_id: '0' };
      const where = (a: Record<string, unknown>) => ({
        pid: a.pid,
        thread: a.thread,
        thread_id: a.thread_id,
      });
      for (const name of ['loop_lens.event_loop.utilization', 'loop_lens.stalls']) {
        for (const [a] of lastPoints(receiver, name)) assert.deepEqual(where(a), main, name);
      }
      for (const l of logs) assert.deepEqual(where(l.attributes), main);
      const cpuLine = blockLine(BLOCKER, 'cpu');
      const cpuLog = logs.find((l) => l.attributes['code.lineno'] === cpuLine);
      assert.ok(cpuLog, JSON.stringify(logs.map((l) => l.body)));
      // The stack as recorded: a profile sample may end in the loop's `sqrt (native)`, above
      // spinCpu, the first frame of the user's code.
      assert.match(
        String(cpuLog.attributes['loop_lens.stack']),
        /^(?:\S+ \(native\):0:0\n)?spinCpu .*blocker\.js:\d+:\d+/,
      );
    } finally {
      await run.dispose();
      await receiver.close();
    }
  });
});
