/**
 * Per-file summaries: everything the cross-file phase needs, with no AST kept alive. A summary is
 * computed once per file version and reused until that file changes (the incremental cache).
 */
import type { Category, FileNote, Severity } from './types';

/** A blocking API (or pattern) found at a call site. */
export interface ApiHit {
  rule: string;
  category: Category;
  severity: Severity;
  /** As a person writes it: `fs.readFileSync`. */
  api: string;
  why: string;
  replacement: string;
  /** Reported only where it happens, never through the callers of its function (`json-io`). */
  local?: boolean;
}

/** What a call site calls. */
export type CallTarget =
  | { kind: 'api'; hit: ApiHit }
  /** A function of the same file (index into `FileSummary.fns`). */
  | { kind: 'fn'; fn: number }
  /**
   * An export of another module of the project, by specifier and export path; the path may go
   * through a class: `['UsersService', 'loadSeed']` (static), `['UsersService', '()', 'findAll']`.
   */
  | { kind: 'import'; spec: string; path: string[] }
  /** A class of the same file (index into `FileSummary.classes`), or an instance of it. */
  | { kind: 'class'; cls: number }
  | { kind: 'inst'; cls: number };

/** A class: its methods by name (indexes into `FileSummary.fns`) and its base class. */
export interface ClassSummary {
  name: string;
  methods: Record<string, number>;
  statics: Record<string, number>;
  /** The `extends` target: a class of this file or an import. */
  base?: CallTarget;
}

/** 1-based span. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface CallSite extends Span {
  /** Callee as written, for chains and messages: `render`, `fs.readFileSync`. */
  name: string;
  target: CallTarget;
  /** A method call resolved through a class: the chain shows the method (`UsersService.findAll`). */
  method?: boolean;
  /** Not a call: a property read or write that runs a getter or setter. */
  access?: 'get' | 'set';
  /** Edge to a callback that the callee runs synchronously (forEach, map, new Promise). */
  inline?: boolean;
  /** Rules silenced by a `loop-lens-ignore-next-line` comment; `*` silences all. */
  suppressed?: string[];
}

export interface FnSummary {
  /** Display name: `serve`, `Server.handle`, `app.get handler`, `(top level)`. */
  name: string;
  line: number;
  column: number;
  /** Index of the enclosing function (-1 for the top level itself). */
  parent: number;
  isAsync: boolean;
  /** Why it runs on the event loop when it is a registered callback (`setTimeout callback`). */
  eventLoop?: string;
  /** A callback that runs synchronously inside its parent, so it shares the parent's context. */
  inherits?: boolean;
  /** Defined in code that runs in a worker thread (`!isMainThread` branch). */
  worker?: boolean;
  calls: CallSite[];
}

export interface FileSummary {
  file: string;
  /** Index 0 is the module top level. */
  fns: FnSummary[];
  /** Export name → target. `=` is `module.exports = x`; `default` the ESM default export. */
  exports: Record<string, CallTarget>;
  /** Classes of this file (for method calls from other files and inheritance). */
  classes?: ClassSummary[];
  /** `export * from` and `module.exports = require(...)` specifiers. */
  stars: string[];
  /** Imported functions registered here as event-loop callbacks (`app.get('/', handler)`). */
  registrations: { spec: string; path: string[]; reason: string }[];
  /** Specifiers of files this file starts as worker threads. */
  workerSpecs: string[];
  /** Relative specifiers this file imports (for dependency tracking). */
  imports: string[];
  /** Rules silenced for the whole file by `loop-lens-ignore-file`; `*` = all. */
  fileSuppressed?: string[];
  notes: FileNote[];
  /**
   * `x.fooSync()` calls on objects syntax could not resolve: the type checker may place them.
   * `pos` is the offset of the method name.
   */
  candidates?: (CallSite & {
    fn: number;
    pos: number;
    argCount: number;
    lastIsFunction: boolean;
  })[];
}
