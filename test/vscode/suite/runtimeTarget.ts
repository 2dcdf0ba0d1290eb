/** A real blocking Node process for the runtime suites, recorded by pid as a user would. */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { LoopLensApi } from '../../../src/extension';
import { waitFor } from './helpers';

const repo = process.env.LOOP_LENS_REPO ?? join(__dirname, '..', '..', '..', '..');
// The runtime fixture: blocks on stdin commands and reports the globals Loop Lens installed.
const fixture = join(repo, 'test', 'fixtures', 'runtime', 'blocker.js');

/** A fixture process and a way to run one of its stdin commands and read its result. */
export interface Target {
  child: ChildProcess;
  run(command: string): Promise<string>;
}

export async function startTarget(): Promise<Target> {
  // --inspect-port=0: attached by pid as a user does (SIGUSR1), on a free port.
  const child = spawn(process.execPath, ['--inspect-port=0', fixture], {
    cwd: repo,
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  await waitFor(() => out.includes('ready '), 'the fixture to start', 30_000);
  const run = async (command: string): Promise<string> => {
    const from = out.length;
    const name = command.split(' ')[0]!;
    child.stdin!.write(`${command}\n`);
    const line = await waitFor(
      () => out.slice(from).match(new RegExp(`^done ${name} \\d+ \\d+ (.*)$`, 'm')) ?? undefined,
      `the fixture to answer "${command}"`,
      30_000,
    );
    return line[1]!;
  };
  return { child, run };
}

/** Blocks the target until the session's recording has one stall more than now. */
export async function blockUntilStall(api: LoopLensApi, t: Target): Promise<void> {
  const count = () => api.runtime.store.sessionRecording?.stalls.length ?? 0;
  const before = count();
  for (let i = 0; i < 8; i++) {
    await t.run('cpu 300');
    const seen = await waitFor(() => count() > before, 'a stall', 10_000).then(
      () => true,
      () => false,
    );
    if (seen) return;
  }
  throw new Error(`no stall recorded after 8 blocks of 300 ms (${before} before)`);
}

