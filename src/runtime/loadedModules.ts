/**
 * The target's loaded modules, read while its loop is idle, so that the files a stall will need
 * are read before its first stall (warmUp.ts). Watch mode has no profile that lists the scripts
 * that ran, and profile mode has none before its first chunk (the first stall's): both read
 * `require.cache`, which lists every CommonJS module in the order it was loaded.
 *
 * Cost to the target: one small `Runtime.evaluate` now and then, sent only when the loop was
 * just seen idle or just turned (an agent message came; a busy server may never be seen idle),
 * never in a silence that may be a stall, answering only the modules loaded since the last one.
 * Polls come often while modules keep loading (start-up, lazy requires) and back off to one in
 * {@link MAX_INTERVAL_MS} when nothing new loads. ES modules are not in `require.cache`; their
 * files are warmed from profile chunks (profile mode) or read by the first stall that needs them.
 */
import { TARGET_REQUIRE, remoteCall } from './agent/remote';
import type { ModeContext } from './modeDriver';
import { nowUs } from './clock';

/** The first polls: start-up is still loading modules. */
const FIRST_INTERVAL_MS = 100;
/** Nothing new loaded for a while: one poll in this long at most. */
const MAX_INTERVAL_MS = 10_000;
/** Module names per answer (the warm-up keeps at most 1,000 files anyway). */
const PAGE = 500;

/**
 * Runs in the target: `require.cache` keys from the `from`-th on (load order), at most `max`,
 * and how many there are. Self-contained (agent/remote.ts).
 */
export function modulesSince(
  req: { cache?: Record<string, unknown> } | undefined,
  from: number,
  max: number,
): string {
  const keys = req && req.cache ? Object.keys(req.cache) : [];
  const start = from > keys.length ? 0 : from;
  return JSON.stringify({ n: keys.length, from: start, files: keys.slice(start, start + max) });
}

/** Files worth reading ahead: scripts, not data (`.json`) or native addons (`.node`). */
export function isScriptFile(file: string): boolean {
  return file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file)
    ? !/\.(json|node)$/i.test(file)
    : false;
}

export class LoadedModules {
  /** How many of `require.cache`'s keys were seen. */
  private next = 0;
  private dueAt = 0;
  private intervalMs = FIRST_INTERVAL_MS;
  private inflight = false;
  private stopped = false;
  /** Evaluates sent so far (the trace counts them). */
  polls = 0;

  constructor(private readonly ctx: ModeContext) {}

  /**
   * Called often (the stack probe's watchdog, each agent message) with whether the loop was just
   * seen idle or turning; sends the next poll when one is due and it was.
   */
  tick(idle: boolean): void {
    if (this.stopped || this.inflight || !idle) return;
    const now = nowUs();
    if (now < this.dueAt || this.ctx.attributor.warmer.full()) return;
    this.inflight = true;
    this.polls++;
    const expression = remoteCall(modulesSince, TARGET_REQUIRE, this.next, PAGE);
    void this.ctx.session
      .send('Runtime.evaluate', {
        expression,
        includeCommandLineAPI: true,
        returnByValue: true,
        silent: true,
      })
      .then((r) => this.onReply(r?.result?.value))
      .catch(() => undefined)
      .finally(() => {
        this.inflight = false;
        this.dueAt = nowUs() + this.intervalMs * 1000;
      });
  }

  private onReply(value: unknown): void {
    let a: { n: number; from: number; files: string[] };
    try {
      a = JSON.parse(String(value)) as typeof a;
      if (!Array.isArray(a.files)) return;
    } catch {
      // No answer (the target went away, or its globals are unusual): back off.
      this.intervalMs = MAX_INTERVAL_MS;
      return;
    }
    this.next = a.from + a.files.length;
    const files = a.files.filter((f) => typeof f === 'string' && isScriptFile(f));
    if (files.length) this.ctx.attributor.warmFiles(files);
    // More to read now, new modules (start-up: soon again), or none (back off).
    this.intervalMs =
      this.next < a.n
        ? 0
        : a.files.length
          ? FIRST_INTERVAL_MS
          : Math.min(MAX_INTERVAL_MS, this.intervalMs * 2);
    const read = this.ctx.attributor.warmer.stats();
    this.ctx.logger.trace(
      'runtime.warm',
      `poll ${this.polls}: ${a.files.length} new modules of ${a.n}, ${files.length} to read ahead; read so far ${read.files} files, ${(read.bytes / 1024).toFixed(0)} KB`,
    );
  }

  dispose(): void {
    this.stopped = true;
  }
}
