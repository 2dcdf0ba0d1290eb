/**
 * Local Node.js processes from /proc (Linux): command line, and the inspector port when one is
 * open and really belongs to the pid (its LISTEN socket inode is among the pid's fds).
 */
import { promises as fs } from 'node:fs';
import type { ProcessTarget } from '../../shared/protocol/runtime';
import { isInspectorPort } from '../targets/inspectorHttp';
import { parentOf } from './tree';

/** Ports in LISTEN state on sockets the process holds open. */
export async function listeningPorts(pid: number): Promise<number[]> {
  const inodes = new Set<string>();
  let fds: string[] = [];
  try {
    fds = await fs.readdir(`/proc/${pid}/fd`);
  } catch {
    return [];
  }
  await Promise.all(
    fds.map(async (fd) => {
      const link = await fs.readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m) inodes.add(m[1]);
    }),
  );
  const ports: number[] = [];
  for (const table of ['tcp', 'tcp6']) {
    const text = await fs.readFile(`/proc/${pid}/net/${table}`, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols: sl local rem st tx:rx tr:when retrnsmt uid timeout inode
      if (cols.length < 10 || cols[3] !== '0A') continue; // 0A = LISTEN
      if (!inodes.has(cols[9])) continue;
      const port = parseInt(cols[1].split(':')[1], 16);
      if (!ports.includes(port)) ports.push(port);
    }
  }
  return ports;
}

/** The inspector port of `pid`, if one of its listening sockets answers as an inspector. */
export async function findInspectorPort(pid: number, timeoutMs = 500): Promise<number | undefined> {
  const ports = await listeningPorts(pid);
  const checks = await Promise.all(ports.map((p) => isInspectorPort('127.0.0.1', p, timeoutMs)));
  return ports.find((_, i) => checks[i]);
}

async function readCmdline(pid: number): Promise<string[] | undefined> {
  const raw = await fs.readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!raw) return undefined;
  return raw.split('\0').filter((s) => s.length > 0);
}

async function isNode(pid: number, argv: string[]): Promise<boolean> {
  const exe = await fs.readlink(`/proc/${pid}/exe`).catch(() => '');
  const base = (s: string) => s.split('/').pop() ?? '';
  return /^node(js)?(\d+)?$/.test(base(exe)) || /^node(js)?$/.test(base(argv[0] ?? ''));
}

/** Every Node.js process of this machine that we can read, except the caller itself. */
export async function listNodeProcessesLinux(): Promise<ProcessTarget[]> {
  const entries = await fs.readdir('/proc').catch(() => [] as string[]);
  const pids = entries.filter((e) => /^\d+$/.test(e)).map(Number);
  const found = await Promise.all(
    pids.map(async (pid): Promise<ProcessTarget | undefined> => {
      if (pid === process.pid) return undefined;
      const argv = await readCmdline(pid);
      if (!argv || !(await isNode(pid, argv))) return undefined;
      // All processes are asked at once, so this bounds the whole listing; 300 ms was too short
      // for an idle target's inspector to answer on a busy machine (its port went missing).
      const [inspectorPort, ppid] = await Promise.all([
        findInspectorPort(pid, 2000),
        parentOf(pid),
      ]);
      return {
        pid,
        command: argv.join(' '),
        ...(inspectorPort ? { inspectorPort } : {}),
        ...(ppid ? { ppid } : {}),
      };
    }),
  );
  return found.filter((p): p is ProcessTarget => p !== undefined).sort((a, b) => a.pid - b.pid);
}

/** The command line of a local process (for TargetInfo). */
export async function commandLineOf(pid: number): Promise<string | undefined> {
  return (await readCmdline(pid))?.join(' ');
}
