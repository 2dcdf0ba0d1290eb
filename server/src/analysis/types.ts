/**
 * Public data types of the static engine. Plain data only: the CLI, the language server and the
 * runtime (call-site lookup) all consume these. No LSP, no `vscode`.
 */

/** What kind of damage a call does to the event loop. */
export type Category = 'sync-io' | 'cpu' | 'threadpool';

/** Severity as configured; `off` disables a rule or category. */
export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/** One step of an interprocedural chain: a call made from `file:line` to `name`. 1-based. */
export interface ChainStep {
  file: string;
  line: number;
  column: number;
  name: string;
}

/** A blocking call that runs on the event loop. Absolute paths, 1-based lines and columns. */
export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Rule id; `docs/rules/<rule>.md` explains it. */
  rule: string;
  category: Category;
  severity: Severity;
  /** What blocks, why, and what to use instead, in one or two sentences. */
  message: string;
  /** The blocking API as a person would write it, e.g. `fs.readFileSync`. */
  api: string;
  /** Why it blocks (from the catalog). */
  why: string;
  /** The non-blocking replacement (from the catalog). */
  replacement: string;
  /**
   * For an indirect finding, each call from the flagged call site down to the blocking API:
   * `serve → render (a.ts:3) → loadTemplate (b.ts:9) → fs.readFileSync (b.ts:12)`. Empty when direct.
   */
  chain: ChainStep[];
}

/** A file the engine could not fully analyse. */
export interface FileNote {
  file: string;
  kind: 'partial' | 'skipped' | 'error';
  reason: string;
}

export interface AnalysisResult {
  findings: Finding[];
  notes: FileNote[];
  filesAnalyzed: number;
  durationMs: number;
  /** Installed packages the run followed calls into: packages, their files, files from cache. */
  dependencies?: { packages: number; files: number; cached: number };
}

/** A blocking function a team declares in its config (like flake8-async's ASYNC200). */
export interface ExtraBlockingApi {
  /** Module specifier it is imported from; omit for a global or a method name. */
  module?: string;
  /** Export path, e.g. `querySync` or `Db.prototype.querySync` or `default.sync`. */
  name: string;
  category?: Category;
  why?: string;
  replacement?: string;
}

/** `.looplensrc.json` or the `loopLens` key of package.json. */
export interface LoopLensConfig {
  /** Per rule id or per category. */
  severity?: Record<string, SeveritySetting>;
  /** Globs (relative to the config's folder) of files not to analyse. */
  ignore?: string[];
  blocking?: ExtraBlockingApi[];
  /** Follow calls through the user's own functions (default true). */
  followCalls?: boolean;
  /**
   * Follow calls into installed packages under node_modules (default true): a package function
   * the project calls that blocks is reported at the project's call site.
   */
  followDependencies?: boolean;
  /** Report threadpool fan-out (default true). */
  threadpool?: boolean;
}
