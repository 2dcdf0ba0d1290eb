// A small LSP client for the language-server benchmark (bench/lsp.mjs): starts a server over stdio,
// records diagnostics and progress, measures CPU and memory of its process tree from /proc.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import rpc from 'vscode-languageserver-protocol/node';

/** `settings` answers workspace/configuration for the `loopLens` section. */
export function startServer(command, args, label, settings = {}, env = {}) {
  const child = spawn(command, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const conn = rpc.createProtocolConnection(
    new rpc.StreamMessageReader(child.stdout),
    new rpc.StreamMessageWriter(child.stdin),
  );
  const waiters = new Set();
  const s = { child, conn, label, progressEnded: false, stderr: () => stderr };
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  const lastByUri = new Map();
  s.lastOf = (uri) => lastByUri.get(uri);
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    s.last = p;
    lastByUri.set(p.uri, p.diagnostics);
    for (const w of [...waiters]) w(p);
  });
  conn.onNotification('$/progress', (p) => {
    if (p.value?.kind === 'end' && !s.progressEnded) {
      s.progressEnded = true;
      s.progressEndedAt = performance.now();
    }
    notify();
  });
  conn.onNotification(() => {});
  conn.onRequest('workspace/configuration', (p) =>
    p.items.map((i) => (i.section === 'loopLens' ? settings : {})),
  );
  conn.onRequest(() => null);
  conn.listen();
  s.waitFor = (check, timeoutMs = 120_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`${label}: timeout\n${stderr.slice(-1000)}`));
      }, timeoutMs);
      const w = (p) => {
        if (check(p)) {
          clearTimeout(timer);
          waiters.delete(w);
          resolve(p);
        }
      };
      waiters.add(w);
    });
  s.initialize = async (folder, initializationOptions = {}) => {
    const uri = pathToFileURL(folder).toString();
    await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri,
      rootPath: folder,
      workspaceFolders: [{ uri, name: 'bench' }],
      initializationOptions,
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { configuration: true, workspaceFolders: true },
        textDocument: { publishDiagnostics: { relatedInformation: true } },
      },
    });
    await conn.sendNotification('initialized', {});
  };
  /** CPU ms used so far by the server and every process it started (tsserver), from /proc. */
  s.cpuMs = () => treeCpuMs(child.pid);
  /** RSS and peak RSS (MB) of the server and every process it started (tsserver). */
  s.rssMb = () => {
    let rss = 0;
    let peak = 0;
    for (const pid of treePids(child.pid)) {
      try {
        const st = readFileSync(`/proc/${pid}/status`, 'utf8');
        const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(st)?.[1] ?? 0);
        rss += kb('VmRSS') / 1024;
        peak += kb('VmHWM') / 1024;
      } catch {
        // exited meanwhile
      }
    }
    return { rss, peak };
  };
  s.stop = async () => {
    try {
      await Promise.race([conn.sendRequest('shutdown'), delay(3000)]);
      await conn.sendNotification('exit');
    } catch {
      /* gone */
    }
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
    await new Promise((r) =>
      child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r),
    );
    conn.dispose();
  };
  return s;
}

/** utime + stime (ms) of `pid` and its descendants; load-independent unlike wall time. */
export function treeCpuMs(pid) {
  const procs = processes();
  const tree = treeOf(procs, pid);
  const ticks = procs.filter((p) => tree.has(p.pid)).reduce((a, p) => a + p.cpu, 0);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** `pid` and its descendants. */
function treePids(pid) {
  return [...treeOf(processes(), pid)];
}

function processes() {
  const procs = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const st = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      procs.push({ pid: Number(name), ppid: Number(f[1]), cpu: Number(f[11]) + Number(f[12]) });
    } catch {
      // exited meanwhile
    }
  }
  return procs;
}

function treeOf(procs, pid) {
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) if (tree.has(p.ppid) && !tree.has(p.pid)) grew = tree.add(p.pid) && true;
  }
  return tree;
}

export const delay = (ms) => new Promise((r) => setTimeout(r, ms));
export const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
export const fmt = (n) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
