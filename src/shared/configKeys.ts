/**
 * Setting keys of Loop Lens, mirrored from `package.json` `contributes.configuration`
 * (STYLE.md section 9). Client and server both read settings through these names: the client via
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
}

/** The setting section shared by every key (`workspace/configuration` section). */
export const configSection = 'loopLens';

/** Severity choices of the `loopLens.severity.*` settings; `off` hides that category. */
export type SeveritySetting = 'error' | 'warning' | 'information' | 'hint' | 'off';

/** Values of `loopLens.analyzeWorkspace`. */
export type AnalyzeWorkspaceSetting = 'all' | 'openFiles';

/** Values of `loopLens.trace.server`. */
export type TraceSetting = 'off' | 'messages' | 'verbose';

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
}

/** Keys whose change needs a server restart (all others are re-read by the server live). */
export const restartKeys: readonly ConfigKey[] = [];
