/**
 * A real Prometheus server for the fleet-export tests (Debian's `prometheus` package, installed
 * by scripts/setup.sh): started on a free loopback port with a 1 s scrape interval and a
 * temporary storage folder, queried through its HTTP API.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../waitFor';
import { freePort } from './cliHelpers';

/** The path of a tool of the prometheus package, or a clear error when it is missing. */
export function prometheusTool(name: 'prometheus' | 'promtool'): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path) {
    throw new Error(
      `${name} is not installed: the fleet-export tests need Debian's prometheus package (scripts/setup.sh installs it; as root: apt-get install -y prometheus)`,
    );
  }
  return path;
}

export interface Prometheus {
  url: string;
  /** Instant query: the result vector as [labels, value] pairs. */
  query(q: string): Promise<Array<{ metric: Record<string, string>; value: number }>>;
  stop(): Promise<void>;
}

/** Starts Prometheus scraping `targets` (host:port) every second. */
export async function startPrometheus(targets: string[]): Promise<Prometheus> {
  const bin = prometheusTool('prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'loop-lens-prom-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: loop-lens',
      '    static_configs:',
      `      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child: ChildProcess = spawn(
    bin,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`prometheus exited:\n${log.slice(-2000)}`);
      const r = await fetch(`${url}/-/ready`).catch(() => undefined);
      return r?.ok;
    }, 'Prometheus to be ready');
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    url,
    async query(q) {
      const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`);
      const body = (await r.json()) as {
        status: string;
        error?: string;
        data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      };
      if (body.status !== 'success') throw new Error(`query ${q}: ${body.error}`);
      return body.data.result.map((x) => ({ metric: x.metric, value: Number(x.value[1]) }));
    },
    stop,
  };
}
