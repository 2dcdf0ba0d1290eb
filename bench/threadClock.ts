/**
 * The main thread's own CPU time and its wait for a CPU (Linux: /proc/thread-self/schedstat,
 * the scheduler's run time and run-queue delay in ns; one read of an fd kept open, ~2 µs). On a
 * loaded machine a step's wall time is its CPU time plus this wait; the wait says how much of a
 * slow stall was the machine's other work, not the recorder's. Elsewhere: no figures.
 */
import { openSync, readSync } from 'node:fs';

export interface ThreadTimes {
  /** ms on a CPU */
  cpu: number;
  /** ms ready to run but waiting for a CPU */
  wait: number;
}

export function threadClock(): {
  now(): ThreadTimes | undefined;
  since(t: ThreadTimes): ThreadTimes | undefined;
} {
  let fd: number | undefined;
  try {
    fd = openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    fd = undefined;
  }
  const buf = Buffer.alloc(128);
  const now = (): ThreadTimes | undefined => {
    if (fd === undefined) return undefined;
    const n = readSync(fd, buf, 0, buf.length, 0);
    const [run, wait] = buf.toString('latin1', 0, n).split(' ').map(Number);
    return run === undefined || wait === undefined
      ? undefined
      : { cpu: run / 1e6, wait: wait / 1e6 };
  };
  return {
    now,
    since: (t) => {
      const n = now();
      return n && { cpu: n.cpu - t.cpu, wait: n.wait - t.wait };
    },
  };
}
