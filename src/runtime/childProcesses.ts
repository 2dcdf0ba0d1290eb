/**
 * The Node.js child processes of a launched target (cluster workers, `fork`, `spawn('node')`):
 * every few hundred milliseconds the target's descendants are read from /proc, and each new one
 * whose inspector answers on a loopback port it owns is handed to `onChild` once. A launched
 * target's children have an inspector because they inherit it: `fork` and `cluster` pass the
 * parent's `--inspect-brk=127.0.0.1:0` on (a cluster worker gets its own `--inspect-port`), and
 * `spawn('node')` gets `--inspect=127.0.0.1:0` from NODE_OPTIONS (targets/launch.ts). This is
 * how VS Code's JavaScript debugger auto-attaches to children, without its bootloader.
 */
import type { IDisposable } from '../common/disposable';
import type { ILogger } from '../common/logger';
import { findInspectorPort } from './processDiscovery';
import { descendantsOf } from './processDiscovery/tree';

const POLL_MS = 250;
/** A descendant with no inspector after this many polls is not a Node process of ours. */
const GIVE_UP_POLLS = 40;

export class ChildProcessWatcher implements IDisposable {
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private readonly handed = new Set<number>();
  private readonly tries = new Map<number, number>();

  constructor(
    private readonly rootPid: number,
    private readonly onChild: (child: { pid: number; ppid: number; port: number }) => void,
    private readonly logger: ILogger,
  ) {}

  start(everyMs = POLL_MS): void {
    this.timer = setInterval(() => void this.poll(), everyMs);
    void this.poll();
  }

  private async poll(): Promise<void> {
    if (this.polling || !this.timer) return;
    this.polling = true;
    try {
      const found = await descendantsOf(this.rootPid);
      await Promise.all(
        found.map(async ({ pid, ppid }) => {
          const n = this.tries.get(pid) ?? 0;
          if (this.handed.has(pid) || n >= GIVE_UP_POLLS) return;
          this.tries.set(pid, n + 1);
          const port = await findInspectorPort(pid, 1000);
          if (port === undefined || this.handed.has(pid) || !this.timer) return;
          this.handed.add(pid);
          this.logger.info('targets', `child process ${pid} (of ${ppid}): inspector on ${port}`);
          this.onChild({ pid, ppid, port });
        }),
      );
    } catch (e) {
      this.logger.warn('targets', `child processes: ${(e as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
