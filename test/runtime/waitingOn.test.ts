/**
 * "Blocked on what" (waitingOn) with real processes: the recorder names the file a readFileSync
 * stall read, the command an execSync stall waited for, and what holds a saturated threadpool.
 * The slow sources are FIFOs: a read from one sleeps in the syscall until a writer writes, so
 * /proc shows the call and its descriptor however fast the disk is.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RecordOptions } from '../../src/runtime/api';
import type { Metrics } from '../../src/shared/protocol/runtime';
import type { Recorder, Target } from './runtimeHelpers';
import {
  FIXTURES,
  blockLine,
  describeStall,
  record,
  stallFor,
  startTarget,
} from './runtimeHelpers';

const WAITER = join(FIXTURES, 'waiter.js');
const linuxOnly = { skip: process.platform !== 'linux' };

/** The waiter fixture recorded with `opts`, and a temp dir for its FIFOs, for one suite. */
function useWaiter(opts: Partial<RecordOptions>): { t: Target; r: Recorder; dir: string } {
  const ctx = { dir: mkdtempSync(join(tmpdir(), 'loop-lens-waiting-')) } as {
    t: Target;
    r: Recorder;
    dir: string;
  };
  before(async () => {
    ctx.t = await startTarget(WAITER);
    ctx.r = await record({ target: { kind: 'port', port: ctx.t.port! }, ...opts });
  });
  after(async () => {
    await ctx.r.rec.stop();
    ctx.t.kill();
    await ctx.t.exited;
    rmSync(ctx.dir, { recursive: true, force: true });
  });
  return ctx;
}

/**
 * The waitingOn of the stall of each of `n` slow FIFO reads (150 ms): the one blamed on the
 * read's line (a `starved` stall of a busy machine may come along, and be longer).
 */
async function fifoStalls(ctx: { t: Target; r: Recorder; dir: string }, n: number) {
  const fifo = join(ctx.dir, 'slow.fifo');
  const line = blockLine(WAITER, 'fifo');
  const seen: string[] = [];
  for (let i = 0; i < n; i++) {
    const { stall, all } = await stallFor(ctx.t, ctx.r, `fifo ${fifo} 150`);
    const s = all.find((x) => x.blame?.line === line) ?? stall;
    assert.ok(s, `run ${i}: no stall`);
    seen.push(`${s.waitingOn ?? '(none)'} ← ${describeStall(s)}`);
  }
  return { fifo, seen };
}

for (const mode of ['watch', 'profile'] as const) {
  describe(`waitingOn (${mode} mode, local Linux target)`, linuxOnly, () => {
    const ctx = useWaiter({ mode });

    it('names the file of a readFileSync stall in at least 9 of 10 stalls', async () => {
      const { fifo, seen } = await fifoStalls(ctx, 10);
      // Named: the read of the FIFO is among what the thread did (a busy machine adds `running`).
      const named = seen.filter((s) => s.split(' ← ')[0].includes(`read ${fifo} (S)`));
      assert.ok(named.length >= 9, `named the FIFO in ${named.length} of 10:\n${seen.join('\n')}`);
    });

    it('names the command of an execSync stall', async () => {
      const { stall } = await stallFor(ctx.t, ctx.r, 'exec 150');
      assert.ok(stall, 'no stall');
      assert.match(stall.waitingOn ?? '', /wait for child .*sleep 0\.15/, describeStall(stall));
    });

    it('names what occupies a saturated threadpool', async () => {
      // Six reads of FIFOs for a pool of four: the test holds each FIFO open for reading and
      // writing, so the target's opens return and its reads sleep until the test writes.
      const fds = Array.from({ length: 6 }, (_, i) => {
        const f = join(ctx.dir, `p${i}`);
        execFileSync('mkfifo', [f]);
        return openSync(f, 'r+');
      });
      const from = ctx.r.events.length;
      const done = ctx.t.run(`pool ${ctx.dir} 6`);
      try {
        const hit = await ctx.r.waitEvent(
          (e) => e.type === 'metrics' && /read .*\/p\d/.test(e.metrics.threadpoolWaitingOn ?? ''),
          30_000,
          from,
        );
        const m = (hit.e as { metrics: Metrics }).metrics;
        assert.equal(m.threadpoolSaturated, true);
        const on = m.threadpoolWaitingOn ?? '';
        const reads = [...on.matchAll(/read \S+\/p\d \(S\)(?: ×(\d))?/g)];
        const threads = reads.reduce((n, x) => n + Number(x[1] ?? 1), 0);
        assert.ok(threads >= 4, `pool threads named: ${on}`);
      } finally {
        for (const fd of fds) writeSync(fd, 'data\n');
        await done;
        fds.forEach((fd) => closeSync(fd));
      }
    });
  });
}

describe('waitingOn without the syscall file (state and wchan only)', linuxOnly, () => {
  // Tuning `liveness: 'wchan'` reads no syscall file, as for a process of another user.
  const ctx = useWaiter({ mode: 'watch', tuning: { liveness: 'wchan' } });

  it('says where the thread slept, and why it says no more, once', async () => {
    const { seen } = await fifoStalls(ctx, 3);
    assert.ok(
      seen.some((s) => /^asleep in \w*pipe/.test(s)),
      seen.join('\n'),
    );
    const { warnings } = ctx.r.rec as unknown as { warnings: string[] };
    const why = warnings.filter((w) => /syscall cannot be read/.test(w));
    assert.equal(why.length, 1, warnings.join('\n'));
  });
});

const WORKERS = join(FIXTURES, 'workers.js');

for (const mode of ['watch', 'profile'] as const) {
  describe(
    `waitingOn of a worker thread's stall (${mode} mode, local Linux target)`,
    linuxOnly,
    () => {
      let t: Target;
      let r: Recorder;
      let dir: string;

      before(async () => {
        dir = mkdtempSync(join(tmpdir(), 'loop-lens-waiting-worker-'));
        t = await startTarget(WORKERS);
        await t.run('start reader');
        r = await record({ target: { kind: 'port', port: t.port! }, mode });
        await r.waitEvent(
          (e) => e.type === 'thread' && e.state === 'recording' && e.thread.name === 'reader',
          30_000,
        );
      });

      after(async () => {
        await r?.rec.stop();
        t?.kill();
        rmSync(dir, { recursive: true, force: true });
      });

      it("names the FIFO a worker's readFileSync read in at least 9 of 10 stalls", async () => {
        const fifo = join(dir, 'worker.fifo');
        const line = blockLine(WORKERS, 'wfifo');
        const seen: string[] = [];
        for (let i = 0; i < 10; i++) {
          const from = r.events.length;
          await t.run(`wfifo reader ${fifo} 150`);
          // The worker's stall on the read's line (the main thread or a busy machine may add others).
          const hit = await r
            .waitEvent(
              (e) => e.type === 'stall' && e.stall.thread?.id === 1 && e.stall.blame?.line === line,
              20_000,
              from,
            )
            .catch(() => undefined);
          const s = hit?.e.type === 'stall' ? hit.e.stall : undefined;
          seen.push(
            `${s?.waitingOn ?? '(none)'} ← ${describeStall(s)} ${JSON.stringify(s?.thread)}`,
          );
        }
        const named = seen.filter((s) => s.split(' ← ')[0].includes(`read ${fifo} (S)`));
        assert.ok(
          named.length >= 9,
          `named the FIFO in ${named.length} of 10:\n${seen.join('\n')}`,
        );
      });

      it("the main thread's stalls are not given the worker's waits", async () => {
        const main = r.stalls().filter((s) => (s.thread?.id ?? 0) === 0);
        const fifo = join(dir, 'worker.fifo');
        assert.deepEqual(
          main.filter((s) => s.waitingOn?.includes(fifo)).map(describeStall),
          [],
          'a main-thread stall named the FIFO only the worker read',
        );
      });
    },
  );
}
