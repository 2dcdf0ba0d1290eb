/**
 * `loop-lens record`: attach to (or launch) a Node.js process, print every event-loop stall as it
 * happens, and on Ctrl-C, --duration or target exit stop cleanly (profiler stopped, detached),
 * print the hotspots and write --out / --cpuprofile / --html. Exit 0 when a recording was made,
 * 2 for bad usage or a target that cannot be reached.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { startRecordings } from '../runtime';
import type { IRecordingSession } from '../runtime/api';
import type { Recording, RuntimeEvent } from '../shared/protocol/runtime';
import {
  describeTarget,
  planRecording,
  type RawRecordOptions,
  type RecordPlan,
} from './recordArgs';
import { openExports } from './recordExport';
import { openRecordLog, type RecordLog } from './recordLog';
import { Rotation } from './recordRotate';
import {
  formatHotspotSummary,
  formatMetricsLine,
  formatStallLine,
  writeOutputs,
} from './recordOutput';

/** A connect that takes longer than this is reported as unreachable (issue #4: within 5 s). */
const CONNECT_GUARD_MS = 5000;
/** After a connect that timed out, how long a late session gets to stop before we exit anyway. */
const EXIT_GRACE_MS = 1000;
/** A stop that hangs (target frozen) still ends with what was seen. */
const STOP_GUARD_MS = 5000;

/** Registers `record` on the program. */
export function register(program: Command): void {
  program
    .command('record')
    .description('record event-loop stalls of a Node.js process and name the lines that blocked')
    .argument('[command...]', 'launch this command with the inspector (write it after --)')
    .option('--port <n>', 'attach to an open inspector port (may repeat)', collect)
    .option('--host <host>', 'host of --port (default 127.0.0.1)')
    .option('--ws <url>', 'attach to an inspector WebSocket URL')
    .option(
      '--pid <pid>',
      'attach to a local process, opening its inspector with SIGUSR1 (may repeat)',
      collect,
    )
    .option('--keep-inspector', 'with --pid: leave the inspector open after stopping')
    .option('--duration <s>', 'stop after S seconds (default, or 0: Ctrl-C or target exit)')
    .option('--threshold <ms>', 'a stall is a blocked loop longer than this', '50')
    .option('--sampling-interval <us>', 'profiler sampling interval in microseconds')
    .option('--mode <mode>', "'profile' (continuous sampling) or 'watch' (low overhead)", 'profile')
    .option('--out <file>', 'write the recording as JSON')
    .option('--cpuprofile <file>', 'write the raw CPU profile (profile mode)')
    .option('--html <file>', 'write a self-contained HTML report')
    .option('--local-root <dir>', 'local folder of the sources (with --remote-root)')
    .option('--remote-root <dir>', 'folder of the sources in the target')
    .option('--metrics', 'print a compact metrics line every second')
    .option(
      '--prometheus <[host:]port>',
      'serve Prometheus metrics at /metrics (127.0.0.1 unless a host is given)',
    )
    .option(
      '--prometheus-lines <n>',
      'blamed lines with a series of their own (default 20; the rest: other)',
    )
    .option('--otlp <url>', 'push metrics and stall logs to an OpenTelemetry collector (OTLP/HTTP)')
    .option('--otlp-interval <s>', 'seconds between two pushes of --otlp (default 10)')
    .option(
      '--rotate <minutes>',
      'with --out: write each period to rec.1.json, rec.2.json, … (long runs)',
    )
    .option('--rotate-keep <n>', 'rotated files kept (default 24)')
    .option('--verbose', 'print the engine log on stderr, CDP traffic included')
    .option('--log-file <file>', 'append the engine log (trace level) to this file')
    .option(
      '--tuning <list>',
      'for benchmarks: liveness=…,heartbeatMs=…,rotateMs=…,waitingOn=on|off (docs/runtime.md)',
    )
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  loop-lens record --duration 10 --html report.html -- node dist/server.js',
        '  loop-lens record --port 9229 --out rec.json        (node --inspect already running)',
        '  loop-lens record --pid 4242 --mode watch           (opens the inspector with SIGUSR1)',
        '  loop-lens record --pid 4242 --pid 4243             (several processes, one recording)',
      ].join('\n'),
    )
    .action(async (command: string[], raw: RawRecordOptions) => {
      process.exitCode = await runRecord(raw, command);
    });
}

/** A repeatable option's values, in order. */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function fail(message: string): number {
  process.stderr.write(`loop-lens record: ${message}\n`);
  return 2;
}

type Session = Awaited<ReturnType<typeof startRecordings>>;

async function connect(plan: RecordPlan): Promise<Session> {
  const remote = plan.targets.some((t) => t.kind === 'port' || t.kind === 'ws');
  if (!remote) return startRecordings(plan.targets, plan.options);
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no inspector answered within ${CONNECT_GUARD_MS / 1000} s`)),
      CONNECT_GUARD_MS,
    );
  });
  const starting = startRecordings(plan.targets, plan.options);
  try {
    return await Promise.race([starting, guard]);
  } catch (err) {
    // The guard fired: an endpoint that never answers may keep its connection open forever. A
    // session that still arrives is stopped; whatever else is pending must not keep us alive.
    starting
      .then(
        (s) => s.stop(),
        () => undefined,
      )
      .catch(() => undefined);
    setTimeout(() => process.exit(2), EXIT_GRACE_MS).unref();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** Prints events as they come; a TTY without --metrics gets one self-updating status line. */
function makePrinter(
  plan: RecordPlan,
  cwd: string,
): { print: (ev: RuntimeEvent) => void; clear: () => void } {
  const statusLine = !plan.showMetrics && process.stderr.isTTY === true;
  let statusShown = false;
  const clearStatus = (): void => {
    if (statusShown) process.stderr.write('\r\x1b[K');
    statusShown = false;
  };
  const print = (ev: RuntimeEvent): void => {
    if (ev.type === 'stall') {
      clearStatus();
      process.stdout.write(formatStallLine(ev.stall, cwd) + '\n');
    } else if (ev.type === 'metrics') {
      if (plan.showMetrics) process.stderr.write(`  ${formatMetricsLine(ev.metrics)}\n`);
      else if (statusLine) {
        const cols = process.stderr.columns ?? 100;
        process.stderr.write(`\r\x1b[K${formatMetricsLine(ev.metrics).slice(0, cols - 1)}`);
        statusShown = true;
      }
    } else if (ev.type === 'error') {
      clearStatus();
      process.stderr.write(`loop-lens record: ${ev.message}\n`);
    } else {
      clearStatus();
    }
  };
  return { print, clear: clearStatus };
}

/** Resolves with the reason the recording ends: duration, Ctrl-C/SIGTERM or target exit. */
function whenDone(session: IRecordingSession, plan: RecordPlan): Promise<string> {
  return new Promise((resolve) => {
    const cleanups: Array<() => void> = [];
    const finish = (reason: string): void => {
      cleanups.forEach((c) => c());
      resolve(reason);
    };
    if (plan.durationMs !== undefined) {
      const t = setTimeout(() => finish('duration reached'), plan.durationMs);
      cleanups.push(() => clearTimeout(t));
    }
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      const onSig = (): void => finish(sig === 'SIGINT' ? 'interrupted (Ctrl-C)' : 'terminated');
      process.once(sig, onSig);
      cleanups.push(() => process.off(sig, onSig));
    }
    const sub = session.onEvent((ev) => {
      if (ev.type === 'exit') {
        finish(
          `target exited${ev.code !== undefined ? ` with code ${ev.code}` : ''}: ${ev.reason}`,
        );
      }
    });
    cleanups.push(() => sub.dispose());
  });
}

/** Stops the session; a second Ctrl-C or a hung stop still ends with the snapshot so far. */
async function stopSafely(session: IRecordingSession): Promise<Recording> {
  const forced = new Promise<Recording>((resolve) => {
    const t = setTimeout(() => resolve(session.snapshot()), STOP_GUARD_MS);
    t.unref();
    process.once('SIGINT', () => resolve(session.snapshot()));
  });
  try {
    return await Promise.race([session.stop(), forced]);
  } catch (err) {
    process.stderr.write(
      `loop-lens record: stop: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    return session.snapshot();
  }
}

async function runRecord(raw: RawRecordOptions, command: string[]): Promise<number> {
  let plan: RecordPlan;
  let log: RecordLog;
  try {
    plan = planRecording(raw, command);
    log = openRecordLog(plan);
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  plan.options.logger = log.logger;
  try {
    return await recordWith(plan);
  } finally {
    await log.close();
  }
}

async function recordWith(plan: RecordPlan): Promise<number> {
  const cwd = process.cwd();
  const what = plan.targets.map(describeTarget).join(', ');
  let session: Session | undefined;
  const say = (line: string) => process.stderr.write(`${line}\n`);
  let exports: Awaited<ReturnType<typeof openExports>>;
  try {
    exports = await openExports(plan.exports, () => session?.target.pid, cwd, say);
  } catch (err) {
    return fail(err instanceof Error ? err.message : String(err));
  }
  try {
    session = await connect(plan);
  } catch (err) {
    await exports?.close();
    return fail(`cannot record ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
  exports?.attach(session.onEvent);
  const s = session;
  const rotation =
    plan.rotate && plan.files.out
      ? new Rotation(plan.files.out, plan.rotate.everyMs, plan.rotate.keep, () => s.snapshot(), say)
      : undefined;
  const warn = (w: string) => process.stderr.write(`loop-lens record: warning: ${w}\n`);
  const early = session.warnings?.length ?? 0;
  session.warnings?.forEach(warn);
  const printer = makePrinter(plan, cwd);
  const sub = session.onEvent(printer.print);
  const known =
    session.target.pid === undefined ||
    plan.options.target.kind === 'pid' ||
    plan.targets.length > 1;
  const pid = known ? '' : ` (pid ${session.target.pid})`;
  process.stderr.write(
    `Recording ${what}${pid} · mode ${plan.options.mode} · threshold ${plan.options.thresholdMs} ms · Ctrl-C to stop\n`,
  );
  const reason = await whenDone(session, plan);
  const rec = await stopSafely(session);
  sub.dispose();
  await exports?.close();
  printer.clear();
  process.stderr.write(`Stopped: ${reason}.\n`);
  // Warnings found while recording (a broken source map, an unreadable /proc file), once each.
  session.warnings?.slice(early).forEach(warn);
  if (session.detachNote) process.stderr.write(`${capitalize(session.detachNote)}.\n`);
  process.stdout.write(formatHotspotSummary(rec, cwd) + '\n');
  const last = rotation ? rotation.finish(rec) : rec;
  const { written, problems } = writeOutputs(last, session.cpuProfile(), plan.files, cwd);
  for (const p of problems) process.stderr.write(`loop-lens record: ${p}\n`);
  for (const w of written) {
    // The report is meant to be opened: give a link terminals make clickable.
    const link = w === plan.files.html ? ` (open ${pathToFileURL(path.resolve(cwd, w)).href})` : '';
    process.stderr.write(`Wrote ${w}${link}\n`);
  }
  return problems.length > 0 && written.length === 0 && Object.values(plan.files).some(Boolean)
    ? 2
    : 0;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
