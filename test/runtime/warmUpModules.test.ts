/**
 * Watch mode has no profile listing the scripts that ran: the recorder reads the target's
 * loaded modules (require.cache) while its loop is idle and reads their files before the first
 * stall needs them (loadedModules.ts, warmUp.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nullLogger, type ILogger } from '../../src/common/logger';
import { waitFor } from '../waitFor';
import { BLOCKER, record, startTarget } from './runtimeHelpers';

/** The warm-up's trace lines ("poll n: … new modules of …; read so far n files, …"). */
function warmTraces(): { logger: ILogger; lines: string[] } {
  const lines: string[] = [];
  return {
    logger: { ...nullLogger, trace: (tag, m) => void (tag === 'runtime.warm' && lines.push(m)) },
    lines,
  };
}

test('watch mode reads the loaded modules of an idle target ahead of its first stall', async () => {
  const { logger, lines: traces } = warmTraces();
  const t = await startTarget(BLOCKER);
  try {
    const r = await record({ target: { kind: 'port', port: t.port! }, mode: 'watch', logger });
    // blocker.js and bcryptjs (which it requires) are loaded; both are read ahead.
    const read = () =>
      Math.max(0, ...traces.map((m) => Number(/read so far (\d+) files/.exec(m)?.[1] ?? 0)));
    await waitFor(() => read() >= 2, 'the warm-up to read the loaded modules', 60_000);
    const first = /(\d+) new modules of (\d+), (\d+) to read ahead/.exec(traces[0]!);
    assert.ok(first, traces[0]);
    assert.ok(Number(first[3]) >= 2, `scripts to read ahead: ${traces[0]}`);
    const rec = await r.rec.stop();
    assert.deepEqual(rec.stalls, [], 'reading the module list is no stall of the target');
  } finally {
    t.kill();
  }
});
