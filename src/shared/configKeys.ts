/**
 * Setting keys of Loop Lens, declared once with their types and defaults; test/unit/manifest.test.ts
 * holds `package.json` `contributes.configuration` to them, both ways. Client and server both read settings through these names: the client via
 * `vscode.workspace.getConfiguration`, the server via `workspace/configuration` with
 * `section: 'loopLens'` (then the keys below without the `loopLens.` prefix).
 */
export const enum ConfigKey {
  /** Turns all Loop Lens diagnostics on or off. */
  Enable = 'loopLens.enable',
  /** Severity of synchronous I/O findings (fs.*Sync, execSync, ...). */
  SeveritySyncIo = 'loopLens.severity.syncIo',
  /** Severity of CPU-bound findings (sync crypto/zlib, JSON on big data, regex backtracking, ...). */
  SeverityCpu = 'loopLens.severity.cpu',
  /** Severity of threadpool-saturation findings. */
  SeverityThreadpool = 'loopLens.severity.threadpool',
  /** Follow calls into callees (also across files) to report blocking chains. */
  FollowCalls = 'loopLens.followCalls',
  /** Follow calls into installed packages (node_modules). */
  FollowDependencies = 'loopLens.followDependencies',
  /** Report the threadpool rule at all. */
  ThreadpoolEnable = 'loopLens.threadpool.enable',
  /** Glob patterns (workspace-relative) of files never analysed. */
  Ignore = 'loopLens.ignore',
  /** Analyse the whole workspace in the background, or only open files. */
  AnalyzeWorkspace = 'loopLens.analyzeWorkspace',
  /** Traces the LSP traffic into the "Loop Lens Trace" output channel. */
  TraceServer = 'loopLens.trace.server',
  /** Wait this long after the last edit before analysing (0: analyse at once, coalescing bursts). */
  AnalysisDelayMs = 'loopLens.analysisDelayMs',
  /** What the "Run in a worker thread" quick fix uses: the Piscina pool or plain worker_threads. */
  OffloadLibrary = 'loopLens.offload.library',
}

/** The setting section shared by every key (`workspace/configuration` section). */
export const configSection = 'loopLens';

/** Severity choices of the `loopLens.severity.*` settings; `off` hides that category. */
export type SeveritySetting = 'error' | 'warning' | 'information' | 'hint' | 'off';

/** Values of `loopLens.analyzeWorkspace`. */
export type AnalyzeWorkspaceSetting = 'all' | 'openFiles';

/** Values of `loopLens.trace.server`. */
export type TraceSetting = 'off' | 'messages' | 'verbose';

/** Values of `loopLens.offload.library`. */
export type OffloadLibrarySetting = 'piscina' | 'worker_threads';

/** Type of each setting's value. */
export interface ConfigTypes {
  [ConfigKey.Enable]: boolean;
  [ConfigKey.SeveritySyncIo]: SeveritySetting;
  [ConfigKey.SeverityCpu]: SeveritySetting;
  [ConfigKey.SeverityThreadpool]: SeveritySetting;
  [ConfigKey.FollowCalls]: boolean;
  [ConfigKey.FollowDependencies]: boolean;
  [ConfigKey.ThreadpoolEnable]: boolean;
  [ConfigKey.Ignore]: string[];
  [ConfigKey.AnalyzeWorkspace]: AnalyzeWorkspaceSetting;
  [ConfigKey.TraceServer]: TraceSetting;
  [ConfigKey.AnalysisDelayMs]: number;
  [ConfigKey.OffloadLibrary]: OffloadLibrarySetting;
}

/** Defaults, identical to the `default` of each key in package.json. */
export const configDefaults: { readonly [K in ConfigKey]: ConfigTypes[K] } = {
  [ConfigKey.Enable]: true,
  [ConfigKey.SeveritySyncIo]: 'warning',
  [ConfigKey.SeverityCpu]: 'warning',
  [ConfigKey.SeverityThreadpool]: 'information',
  [ConfigKey.FollowCalls]: true,
  [ConfigKey.FollowDependencies]: true,
  [ConfigKey.ThreadpoolEnable]: true,
  [ConfigKey.Ignore]: [],
  [ConfigKey.AnalyzeWorkspace]: 'all',
  [ConfigKey.TraceServer]: 'off',
  [ConfigKey.AnalysisDelayMs]: 0,
  [ConfigKey.OffloadLibrary]: 'piscina',
};

/**
 * The settings as the server receives them for one resource from
 * `workspace/configuration { section: 'loopLens' }` (nested object, prefix removed).
 */
export interface LoopLensSettings {
  enable: boolean;
  severity: { syncIo: SeveritySetting; cpu: SeveritySetting; threadpool: SeveritySetting };
  followCalls: boolean;
  followDependencies: boolean;
  threadpool: { enable: boolean };
  ignore: string[];
  analyzeWorkspace: AnalyzeWorkspaceSetting;
  trace: { server: TraceSetting };
  analysisDelayMs: number;
  offload: { library: OffloadLibrarySetting };
}
