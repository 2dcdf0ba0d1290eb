/**
 * What a blocked thread is doing, from /proc/<pid>/task/<tid>/syscall: "running", "-1 sp pc"
 * (asleep outside a system call, e.g. a page fault), or "nr arg1 … arg6 sp pc" (hex). Only the
 * calls that say something about a stall are named; the table covers x64 and arm64.
 */

/** How a call's first argument reads: a file descriptor, a child's pid, or nothing we resolve. */
export type ArgKind = 'fd' | 'pid' | 'none';

interface CallInfo {
  name: string;
  arg: ArgKind;
}

/** `"0 read:fd 61 wait4:pid 202 futex"`: number, name and what the first argument is. */
function table(spec: string): Record<number, CallInfo> {
  const out: Record<number, CallInfo> = {};
  const words = spec.trim().split(/\s+/);
  for (let i = 0; i + 1 < words.length; i += 2) {
    const [name, arg = 'none'] = words[i + 1].split(':');
    out[Number(words[i])] = { name, arg: arg as ArgKind };
  }
  return out;
}

const X64 = table(
  '0 read:fd 1 write:fd 2 open 4 stat 5 fstat:fd 7 poll 9 mmap 10 mprotect 11 munmap 12 brk ' +
    '17 pread64:fd 18 pwrite64:fd 28 madvise ' +
    '19 readv:fd 20 writev:fd 23 select 35 nanosleep 40 sendfile:fd 42 connect:fd ' +
    '43 accept:fd 44 sendto:fd 45 recvfrom:fd 46 sendmsg:fd 47 recvmsg:fd 61 wait4:pid ' +
    '72 fcntl:fd 73 flock:fd 74 fsync:fd 75 fdatasync:fd 77 ftruncate:fd 202 futex ' +
    '217 getdents64:fd 230 clock_nanosleep 232 epoll_wait 247 waitid:pid 257 openat ' +
    '262 newfstatat 270 pselect6 271 ppoll 281 epoll_pwait 288 accept4:fd 295 preadv:fd ' +
    '296 pwritev:fd 326 copy_file_range:fd 332 statx 426 io_uring_enter 441 epoll_pwait2',
);

const ARM64 = table(
  '22 epoll_pwait 25 fcntl:fd 32 flock:fd 46 ftruncate:fd 56 openat 61 getdents64:fd ' +
    '63 read:fd 64 write:fd 65 readv:fd 66 writev:fd 67 pread64:fd 68 pwrite64:fd ' +
    '69 preadv:fd 70 pwritev:fd 71 sendfile:fd 72 pselect6 73 ppoll 79 newfstatat 80 fstat:fd ' +
    '82 fsync:fd 83 fdatasync:fd 95 waitid:pid 98 futex 101 nanosleep 115 clock_nanosleep ' +
    '202 accept:fd 203 connect:fd 206 sendto:fd 207 recvfrom:fd 211 sendmsg:fd 212 recvmsg:fd ' +
    '214 brk 215 munmap 222 mmap 226 mprotect 233 madvise ' +
    '242 accept4:fd 260 wait4:pid 285 copy_file_range:fd 291 statx 426 io_uring_enter ' +
    '441 epoll_pwait2',
);

export type SyscallState =
  | { in: 'running' }
  /** Asleep outside a system call (a page fault, a signal stop). */
  | { in: 'none' }
  | { in: 'call'; nr: number; name: string; arg: ArgKind; arg0: number };

/** Parses the text of /proc/<pid>/task/<tid>/syscall; `undefined` for an empty or odd text. */
export function parseSyscall(text: string, arch: string = process.arch): SyscallState | undefined {
  const t = text.trim();
  if (!t) return undefined;
  if (t.startsWith('running')) return { in: 'running' };
  const [nrText, a0] = t.split(' ');
  const nr = Number(nrText);
  if (!Number.isInteger(nr)) return undefined;
  if (nr < 0) return { in: 'none' };
  const info = (arch === 'arm64' ? ARM64 : X64)[nr];
  // An int argument in a 64-bit register: -1 reads 0xffffffff (or all 64 bits set).
  const arg0 = a0 === undefined ? 0 : Number(BigInt.asIntN(32, BigInt(a0)));
  return { in: 'call', nr, name: info?.name ?? `syscall ${nr}`, arg: info?.arg ?? 'none', arg0 };
}

/** Waits that mean "nothing to do" for a helper thread (a pool thread waiting for work). */
export function isIdleWait(s: SyscallState): boolean {
  return s.in === 'call' && /^(futex|epoll_p?wait2?|poll|ppoll|select|pselect6)$/.test(s.name);
}

/** Waits on a set of descriptors (the fd is an epoll instance, not what is waited for). */
export function isPollWait(s: SyscallState): boolean {
  return s.in === 'call' && /^(epoll_p?wait2?|poll|ppoll|select|pselect6)$/.test(s.name);
}
