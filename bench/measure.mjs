// Shared by the bench parts: run a command and measure it (wall, CPU, peak RSS), build the CLI
// when its sources changed, install pinned packages into a cache folder, medians.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const root = new URL('..', import.meta.url).pathname;

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Installs `{ name: version }` into `cache` with one `npm install --ignore-scripts` (no install
 * scripts run, nothing saved); `extra` adds npm flags.
 */
export function npmInstall(cache, pinned, extra = []) {
  mkdirSync(cache, { recursive: true });
  if (!existsSync(join(cache, 'package.json'))) {
    writeFileSync(join(cache, 'package.json'), '{ "private": true }\n');
  }
  const specs = Object.entries(pinned).map(([n, v]) => `${n}@${v}`);
  console.log(`installing ${specs.length} packages into ${cache} ...`);
  const args = ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts'];
  const r = spawnSync('npm', [...args, ...extra, '--prefix', cache, ...specs], {
    cwd: cache,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`npm install into ${cache} failed`);
}

/** Builds dist/cli.js when it is missing or older than any CLI or engine source. */
export function ensureCli() {
  const cli = join(root, 'dist', 'cli.js');
  const newest = Math.max(
    ...['src/cli', 'server/src', 'src/common', 'src/shared'].map((d) => newestMtime(join(root, d))),
  );
  if (existsSync(cli) && statSync(cli).mtimeMs >= newest) return cli;
  console.log('building dist/cli.js ...');
  const r = spawnSync(process.execPath, [join(root, 'esbuild.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('build failed');
  return cli;
}

function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return newest;
}

/**
 * Runs a command under /usr/bin/time (peak RSS, CPU time) or alone (peak RSS polled from /proc);
 * resolves wall ms, CPU ms (NaN without /usr/bin/time), peak KiB and the output. With `timeoutMs`
 * the command's process group is killed then, and `timedOut` is true.
 */
export function measure(argv, cwd, timeoutMs = 0) {
  const timeFile = join(tmpdir(), `loop-lens-bench-${process.pid}.time`);
  const useTime = existsSync('/usr/bin/time');
  const [cmd, args] = useTime
    ? ['/usr/bin/time', ['-f', '%M %U %S', '-o', timeFile, ...argv]]
    : [argv[0], argv.slice(1)];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: timeoutMs > 0,
    });
    let timedOut = false;
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            process.kill(-child.pid, 'SIGKILL');
          }, timeoutMs)
        : undefined;
    const out = [];
    const err = [];
    let vmHwm = 0;
    // Without /usr/bin/time, poll the child's high-water mark (misses only the last few ms).
    const poll = useTime
      ? undefined
      : setInterval(() => (vmHwm = Math.max(vmHwm, readHwm(child.pid))), 50);
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      if (poll) clearInterval(poll);
      clearTimeout(timer);
      // /usr/bin/time's last line: peak RSS in KiB, user seconds, system seconds.
      const [peakKiB, user, sys] =
        useTime && existsSync(timeFile)
          ? readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number)
          : [vmHwm, NaN, NaN];
      rmSync(timeFile, { force: true });
      resolve({
        code,
        timedOut,
        wallMs,
        cpuMs: (user + sys) * 1000,
        peakKiB,
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      });
    });
  });
}

function readHwm(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}
