/**
 * One look at one thread of a local target: what it is doing right now, as a short label
 * (`read /data/big.bin (D)`, `running`, `wait for child sleep 0.25`, `futex (S)`). From
 * /proc/<pid>/task/<tid>/syscall where readable (it needs ptrace access to the target: the same
 * user, and Yama's ptrace_scope 0, or a target we started), else from the thread's state and
 * wchan only.
 */
import type { SyscallState } from './syscalls';
import { isPollWait, parseSyscall } from './syscalls';
import { childCommand, childrenOf, describeFd, readProc, stateOf, wchanOf } from './resolve';

export interface Observation {
  label: string;
  /** False when the syscall file could not be read (the label then comes from state + wchan). */
  syscallRead: boolean;
  /** The thread waits for nothing in particular (an idle helper thread: futex, epoll). */
  idle: boolean;
  state?: SyscallState;
}

/** Observes thread `tid` of `pid`; `trySyscall` false skips the syscall file (known unreadable). */
export function observeThread(
  pid: number,
  tid: number,
  trySyscall = true,
): Observation | undefined {
  const text = trySyscall ? readProc(`/proc/${pid}/task/${tid}/syscall`) : undefined;
  const sc = text ? parseSyscall(text) : undefined;
  if (!sc) return fromWchan(pid, tid);
  if (sc.in === 'running') return { label: 'running', syscallRead: true, idle: false, state: sc };
  const st = stateOf(pid, tid);
  if (st === undefined) return undefined;
  const mark = st === 'R' ? '' : ` (${st})`;
  if (sc.in === 'none') {
    const w = wchanOf(pid, tid);
    return {
      label: `asleep${w ? ` in ${w}` : ''}${mark}`,
      syscallRead: true,
      idle: false,
      state: sc,
    };
  }
  const obs = (label: string, idle = false): Observation => ({
    label,
    syscallRead: true,
    idle,
    state: sc,
  });
  if (sc.arg === 'pid') {
    const cmd = childCommand(pid, tid, sc.arg0);
    return obs(cmd ? `wait for child ${cmd}` : `${sc.name}${mark}`);
  }
  if (sc.arg === 'fd') {
    return obs(`${sc.name} ${describeFd(pid, sc.arg0) ?? `fd ${sc.arg0}`}${mark}`);
  }
  // execSync/spawnSync wait for their child in an epoll loop of their own.
  if (isPollWait(sc) && childrenOf(pid, tid).length > 0) {
    const cmd = childCommand(pid, tid);
    if (cmd) return obs(`wait for child ${cmd}`);
  }
  const idle = sc.name === 'futex' || isPollWait(sc);
  return obs(`${sc.name}${mark}`, idle);
}

/** Without the syscall: the state letter and where the thread sleeps in the kernel. */
function fromWchan(pid: number, tid: number): Observation | undefined {
  const st = stateOf(pid, tid);
  if (st === undefined) return undefined;
  if (st === 'R') return { label: 'running', syscallRead: false, idle: false };
  const w = wchanOf(pid, tid);
  const polling = w !== undefined && /epoll|poll|select|futex/.test(w);
  if (polling && /epoll|poll/.test(w) && childrenOf(pid, tid).length > 0) {
    const cmd = childCommand(pid, tid);
    if (cmd) return { label: `wait for child ${cmd}`, syscallRead: false, idle: false };
  }
  if (w && /wait4|do_wait|waitid/.test(w)) {
    const cmd = childCommand(pid, tid);
    if (cmd) return { label: `wait for child ${cmd}`, syscallRead: false, idle: false };
  }
  return {
    label: `${st === 'D' ? 'in I/O' : 'asleep'}${w ? ` in ${w}` : ''} (${st})`,
    syscallRead: false,
    idle: polling,
  };
}

/**
 * "read /data/big.bin (D) 80 %, running 20 %": the labels of a run of observations by share,
 * largest first; at most `top` of them, the rest as `other`.
 */
export function summarizeLabels(labels: string[], top = 3): string | undefined {
  if (labels.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const rows = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const pct = (n: number) => `${Math.round((n / labels.length) * 100)} %`;
  const shown = rows.slice(0, top).map(([l, n]) => `${l} ${pct(n)}`);
  const rest = rows.slice(top).reduce((n, [, c]) => n + c, 0);
  if (rest > 0) shown.push(`other ${pct(rest)}`);
  return shown.join(', ');
}

/** "read /tmp/a (S) ×2, running ×2": what several threads are doing at one moment. */
export function countLabels(labels: string[]): string | undefined {
  if (labels.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([l, n]) => (n > 1 ? `${l} ×${n}` : l))
    .join(', ');
}
