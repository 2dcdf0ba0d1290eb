/**
 * Per-resource settings of the language server: pulled with
 * `workspace/configuration` for sections `loopLens` and `files`, cached per URI, and cleared on
 * `didChangeConfiguration` and `didClose`. Never kept in globals.
 */
import {
  configDefaults,
  ConfigKey,
  type AnalyzeWorkspaceSetting,
  type LoopLensSettings,
  type OffloadLibrarySetting,
  type SeveritySetting,
  type TraceSetting,
} from '../../src/shared/configKeys';

/** The `loopLens` settings of one resource plus the `files.exclude` globs that are on. */
export interface ResourceSettings extends LoopLensSettings {
  filesExclude: string[];
}

/** What the server uses when the client cannot answer `workspace/configuration`. */
export const defaultSettings: ResourceSettings = {
  enable: configDefaults[ConfigKey.Enable],
  severity: {
    syncIo: configDefaults[ConfigKey.SeveritySyncIo],
    cpu: configDefaults[ConfigKey.SeverityCpu],
    threadpool: configDefaults[ConfigKey.SeverityThreadpool],
  },
  followCalls: configDefaults[ConfigKey.FollowCalls],
  followDependencies: configDefaults[ConfigKey.FollowDependencies],
  threadpool: { enable: configDefaults[ConfigKey.ThreadpoolEnable] },
  ignore: configDefaults[ConfigKey.Ignore],
  analyzeWorkspace: configDefaults[ConfigKey.AnalyzeWorkspace],
  trace: { server: configDefaults[ConfigKey.TraceServer] },
  analysisDelayMs: configDefaults[ConfigKey.AnalysisDelayMs],
  offload: { library: configDefaults[ConfigKey.OffloadLibrary] },
  filesExclude: [],
};

const SEVERITIES: readonly SeveritySetting[] = ['error', 'warning', 'information', 'hint', 'off'];

/**
 * Builds settings from what the client sent, tolerating missing, partial or wrongly typed values
 * (a hand-edited settings.json must never break the server): each bad value falls back to its
 * default.
 */
export function normalizeSettings(loopLens: unknown, files: unknown): ResourceSettings {
  const raw = record(loopLens);
  const sev = record(raw.severity);
  const d = defaultSettings;
  return {
    enable: bool(raw.enable, d.enable),
    severity: {
      syncIo: severity(sev.syncIo, d.severity.syncIo),
      cpu: severity(sev.cpu, d.severity.cpu),
      threadpool: severity(sev.threadpool, d.severity.threadpool),
    },
    followCalls: bool(raw.followCalls, d.followCalls),
    followDependencies: bool(raw.followDependencies, d.followDependencies),
    threadpool: { enable: bool(record(raw.threadpool).enable, d.threadpool.enable) },
    ignore: Array.isArray(raw.ignore)
      ? raw.ignore.filter((g): g is string => typeof g === 'string' && g !== '')
      : d.ignore,
    analyzeWorkspace: analyzeMode(raw.analyzeWorkspace, d.analyzeWorkspace),
    trace: { server: traceMode(record(raw.trace).server, d.trace.server) },
    analysisDelayMs: delayMs(raw.analysisDelayMs, d.analysisDelayMs),
    offload: { library: offloadLibrary(record(raw.offload).library, d.offload.library) },
    filesExclude: excludeGlobs(record(files).exclude),
  };
}

/** Globs of a `files.exclude` object whose value is `true` (`when` clauses are not evaluated). */
function excludeGlobs(value: unknown): string[] {
  return Object.entries(record(value))
    .filter(([, on]) => on === true)
    .map(([glob]) => glob);
}

/** Reads the two sections for one scope URI (undefined = the workspace as a whole). */
export type SettingsFetcher = (scopeUri: string | undefined) => Promise<[unknown, unknown]>;

/** Settings cached per resource URI; a failed fetch yields the defaults and is not cached. */
export class SettingsCache {
  private readonly cache = new Map<string, Promise<ResourceSettings>>();

  constructor(private readonly fetch: SettingsFetcher | undefined) {}

  /** The settings of a document or folder URI. */
  get(uri: string | undefined): Promise<ResourceSettings> {
    if (!this.fetch) return Promise.resolve(defaultSettings);
    const key = uri ?? '';
    let p = this.cache.get(key);
    if (!p) {
      p = this.fetch(uri).then(
        ([loopLens, files]) => normalizeSettings(loopLens, files),
        () => {
          this.cache.delete(key);
          return defaultSettings;
        },
      );
      this.cache.set(key, p);
    }
    return p;
  }

  /** Forgets one URI (on `didClose`) or everything (on `didChangeConfiguration`). */
  clear(uri?: string): void {
    if (uri === undefined) this.cache.clear();
    else this.cache.delete(uri);
  }
}

function record(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : {};
}

function bool(v: unknown, fallback: boolean): boolean {
  return typeof v === 'boolean' ? v : fallback;
}

function severity(v: unknown, fallback: SeveritySetting): SeveritySetting {
  return SEVERITIES.includes(v as SeveritySetting) ? (v as SeveritySetting) : fallback;
}

function traceMode(v: unknown, fallback: TraceSetting): TraceSetting {
  return v === 'off' || v === 'messages' || v === 'verbose' ? v : fallback;
}

function analyzeMode(v: unknown, fallback: AnalyzeWorkspaceSetting): AnalyzeWorkspaceSetting {
  return v === 'all' || v === 'openFiles' ? v : fallback;
}

/** A delay in ms: a finite number, clamped to 0–5000 (a typo must not stop analysis for hours). */
function delayMs(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(Math.max(v, 0), 5000) : fallback;
}

function offloadLibrary(v: unknown, fallback: OffloadLibrarySetting): OffloadLibrarySetting {
  return v === 'piscina' || v === 'worker_threads' ? v : fallback;
}
