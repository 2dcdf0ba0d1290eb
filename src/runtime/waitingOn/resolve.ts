/**
 * Names what a descriptor or a child process of the target is, from /proc only (no ptrace):
 * `/proc/<pid>/fd/<n>` links to a path, `socket:[inode]` (its TCP/UDP peer from
 * /proc/<pid>/net/{tcp,tcp6,udp,udp6}), `pipe:[inode]` or an anonymous inode; a child's command
 * line comes from /proc/<child>/cmdline. Synchronous on purpose: procfs answers from memory,
 * and these run only while a thread is blocked (sampler.ts).
 */
import { readFileSync, readlinkSync } from 'node:fs';

function read(file: string): string | undefined {
  try {
    // loop-lens-ignore-next-line sync-fs -- procfs, answered from memory, only during a stall
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** What fd `n` of `pid` is: a path, `tcp 10.0.0.5:5432`, `pipe`, or the raw link. */
export function describeFd(pid: number, fd: number): string | undefined {
  if (!Number.isInteger(fd) || fd < 0) return undefined;
  let link: string;
  try {
    link = readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return undefined;
  }
  const sock = /^socket:\[(\d+)\]$/.exec(link);
  if (sock) return socketPeer(pid, sock[1]) ?? 'a socket';
  if (link.startsWith('pipe:')) return 'a pipe';
  if (link.startsWith('anon_inode:')) {
    return link.slice('anon_inode:'.length).replace(/^\[|\]$/g, '');
  }
  return link;
}

/** `tcp 127.0.0.1:5432` for a socket inode found in the target's network tables. */
export function socketPeer(pid: number, inode: string): string | undefined {
  for (const proto of ['tcp', 'tcp6', 'udp', 'udp6']) {
    const table = read(`/proc/${pid}/net/${proto}`);
    const peer = table ? peerOf(table, inode) : undefined;
    if (peer) return `${proto.replace('6', '')} ${peer}`;
  }
  return undefined;
}

/**
 * The remote address of the row with `inode` in a /proc/net/tcp-style table (`rem_address` in
 * hex, network byte order per 32-bit word); a listening socket reads as its local address.
 */
export function peerOf(table: string, inode: string): string | undefined {
  for (const line of table.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f[9] !== inode) continue;
    const [addr, port] = f[2].split(':');
    if (/^0+$/.test(addr) && Number.parseInt(port, 16) === 0) {
      const [la, lp] = f[1].split(':');
      return `listening ${hexAddr(la)}:${Number.parseInt(lp, 16)}`;
    }
    return `${hexAddr(addr)}:${Number.parseInt(port, 16)}`;
  }
  return undefined;
}

function hexAddr(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) =>
    (w.match(/../g) ?? []).reverse().map((b) => Number.parseInt(b, 16)),
  );
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255) {
    return bytes.slice(12).join('.');
  }
  const groups: string[] = [];
  for (let i = 0; i < bytes.length; i += 2) {
    groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  }
  return `[${groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::')}]`;
}

/** The command line of a process, shortened for one line of output. */
export function commandOf(pid: number, max = 80): string | undefined {
  const raw = read(`/proc/${pid}/cmdline`);
  if (!raw) return undefined;
  const cmd = raw.replace(/\0+$/, '').split('\0').join(' ');
  return cmd.length > max ? `${cmd.slice(0, max - 1)}…` : cmd;
}

/** The child processes a thread started (/proc/<pid>/task/<tid>/children), oldest first. */
export function childrenOf(pid: number, tid: number): number[] {
  const text = read(`/proc/${pid}/task/${tid}/children`) ?? '';
  return text
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** `child sleep 0.25` (the newest child; a shell's own child when it only waits for one). */
export function childCommand(pid: number, tid: number, childPid?: number): string | undefined {
  const child = childPid && childPid > 0 ? childPid : childrenOf(pid, tid).at(-1);
  if (!child) return undefined;
  const cmd = commandOf(child);
  if (!cmd) return undefined;
  // `sh -c "a; b"` waits for its own child: name both, the shell's line is what the code ran.
  const grand = childrenOf(child, child).at(-1);
  const inner = grand ? commandOf(grand) : undefined;
  return inner && !cmd.includes(inner) ? `${cmd} (now: ${inner})` : cmd;
}

/** A thread's state letter (R, S, D…) from its stat line. */
export function stateOf(pid: number, tid: number): string | undefined {
  const stat = read(`/proc/${pid}/task/${tid}/stat`);
  if (!stat) return undefined;
  const close = stat.lastIndexOf(')');
  return stat.slice(close + 2, close + 3) || undefined;
}

/** Where a sleeping thread sleeps in the kernel (wchan), undefined when it runs. */
export function wchanOf(pid: number, tid: number): string | undefined {
  const w = read(`/proc/${pid}/task/${tid}/wchan`)?.trim();
  return w && w !== '0' ? w : undefined;
}

export { read as readProc };
