/**
 * The fleet exports of `loop-lens record` (docs/fleet.md): `--prometheus [host:]port` serves
 * `/metrics`, `--otlp URL` pushes to an OpenTelemetry collector. Both read the same running
 * totals (src/runtime/export/fleetTotals.ts), fed by the session's events. The endpoint is opened
 * before anything is attached, so a taken port fails without touching the target.
 */
import type { IDisposable } from '../common/disposable';
import type { RuntimeEvent } from '../shared/protocol/runtime';
import { DEFAULT_MAX_LINES, FleetTotals } from '../runtime/export/fleetTotals';
import type { PrometheusEndpoint } from '../runtime/export/prometheus';
import { DEFAULT_OTLP_INTERVAL_MS, OtlpExport } from '../runtime/export/otlp';
import { fleetRegistry, parseListen, servePrometheus } from '../runtime/export/prometheus';

export interface ExportPlan {
  prometheus?: { host: string; port: number };
  /** Blamed lines with a series of their own (the rest: `other`). */
  maxLines: number;
  otlp?: string;
  /** `--otlp-interval` (s): how often metrics are pushed. */
  otlpIntervalMs: number;
}

export function parseExports(
  raw: { prometheus?: string; prometheusLines?: string; otlp?: string; otlpInterval?: string },
  positiveInt: (name: string, v: string | undefined) => number | undefined,
): ExportPlan {
  const maxLines = positiveInt('--prometheus-lines', raw.prometheusLines) ?? DEFAULT_MAX_LINES;
  const interval = positiveInt('--otlp-interval', raw.otlpInterval);
  const plan: ExportPlan = {
    maxLines,
    otlpIntervalMs: interval === undefined ? DEFAULT_OTLP_INTERVAL_MS : interval * 1000,
  };
  if (raw.prometheus !== undefined) plan.prometheus = parseListen(raw.prometheus);
  if (raw.otlp !== undefined) {
    let url: URL;
    try {
      url = new URL(raw.otlp);
    } catch {
      throw new Error(`--otlp takes an http(s) URL, got '${raw.otlp}'`);
    }
    if (!/^https?:$/.test(url.protocol)) {
      throw new Error(`--otlp takes an http(s) URL, got '${raw.otlp}'`);
    }
    plan.otlp = url.href.replace(/\/$/, '');
  }
  return plan;
}

export interface Exports {
  /** Feeds the exporters from the session, once attached. */
  attach(onEvent: (listener: (e: RuntimeEvent) => void) => IDisposable): void;
  close(): Promise<void>;
}

/** Opens the endpoints the plan asks for; says where, and warns when not on loopback. */
export async function openExports(
  plan: ExportPlan,
  pid: () => number | undefined,
  cwd: string,
  say: (line: string) => void,
): Promise<Exports | undefined> {
  if (!plan.prometheus && !plan.otlp) return undefined;
  const totals = new FleetTotals(pid, plan.maxLines, cwd);
  let prom: PrometheusEndpoint | undefined;
  if (plan.prometheus) {
    const { host, port } = plan.prometheus;
    try {
      prom = await servePrometheus(fleetRegistry(totals), host, port);
    } catch (e) {
      throw new Error(
        `cannot serve Prometheus metrics on ${host}:${port}: ${(e as Error).message}`,
      );
    }
    say(
      prom.loopback
        ? `Prometheus metrics at ${prom.url} (loopback only; --prometheus HOST:PORT to share)`
        : `warning: Prometheus metrics at ${prom.url} are reachable from other machines (file paths and function names included)`,
    );
  }
  let otlp: OtlpExport | undefined;
  if (plan.otlp) {
    otlp = new OtlpExport(plan.otlp, totals, plan.otlpIntervalMs);
    say(
      `OpenTelemetry: pushing metrics and stall logs to ${plan.otlp} every ${plan.otlpIntervalMs / 1000} s`,
    );
  }
  let sub: IDisposable | undefined;
  return {
    attach(onEvent) {
      sub = onEvent((e) => {
        totals.onEvent(e);
        otlp?.onEvent(e);
      });
    },
    async close() {
      sub?.dispose();
      await Promise.all([prom?.close(), otlp?.close()]);
    },
  };
}
