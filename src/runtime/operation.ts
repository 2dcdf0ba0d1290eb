/**
 * What blocked, by a human name, and which kind of cause it is: the innermost meaningful frame of
 * a stall's stack, Node's internals and V8's built-ins included (`JSON.stringify`,
 * `Buffer.from (string)`, `fs.readFileSync`, `crypto.pbkdf2Sync`, `require`).
 *
 * One cause, one kind, decided by the stack's shape alone (so the same shape gets the same kind
 * in every stall): converting or serialising data is `cpu` however deep in Node it runs (a
 * binding under `node:buffer`, `node:zlib` or `node:crypto` is Node's own CPU work); `sync-io`
 * when the Node frames below the caller's code hold a synchronous `fs` or `child_process` call
 * (the thread waits in a system call there; an async `fs.writeFile` converting its string is
 * `cpu`); `native` only for a function without a script (an addon's
 * binding) called straight from JavaScript of the user or of a package, which the recorder cannot
 * see into. Pure: the tests feed it frames.
 */
import type { CodeStallKind } from '../shared/protocol/runtime';

/** Frames of Node's own synchronous I/O (fs, child_process): a stall in them is `sync-io`. */
export function isSyncIoFrame(functionName: string, url: string): boolean {
  return (
    /^node:(fs|child_process|internal\/fs|internal\/child_process)/.test(url) &&
    /Sync$|^spawnSync$/.test(functionName)
  );
}

/** A frame as the rules need it: `url` is '' for code without a script (a binding, a built-in). */
export interface OpFrame {
  functionName: string;
  url: string;
}

/** V8 built-ins that show in a real stack (the probe's) as frames without a script. */
const BUILTINS: Record<string, string> = {
  stringify: 'JSON.stringify',
  parse: 'JSON.parse',
  exec: 'RegExp.prototype.exec',
  test: 'RegExp.prototype.test',
  replace: 'String.prototype.replace',
  replaceAll: 'String.prototype.replaceAll',
  match: 'String.prototype.match',
  matchAll: 'String.prototype.matchAll',
  split: 'String.prototype.split',
  sort: 'Array.prototype.sort',
  structuredClone: 'structuredClone',
};

/**
 * Small built-ins that show as frames without a script (`trim`, `hasOwnProperty`): the work is
 * their caller's, which names the operation; CPU, never an addon's `native`.
 */
const MINOR_BUILTINS = new Set(
  (
    'trim trimStart trimEnd slice substring substr indexOf lastIndexOf includes startsWith ' +
    'endsWith toLowerCase toUpperCase padStart padEnd charCodeAt codePointAt normalize ' +
    'localeCompare join push pop shift unshift splice concat map forEach filter reduce some ' +
    'every find findIndex keys values entries assign freeze hasOwnProperty toString valueOf ' +
    'apply call bind getOwnPropertyNames defineProperty isArray from fill set get has delete ' +
    'add charAt repeat fromCharCode floor ceil round max min random now ' +
    // Math: one arithmetic step of the caller's loop (`x += Math.sqrt(i)`), not an operation.
    'sqrt cbrt abs pow exp expm1 log log2 log10 log1p sin cos tan asin acos atan atan2 sinh ' +
    'cosh tanh hypot trunc sign imul clz32 fround'
  ).split(' '),
);

/** A built-in's name as V8 prints it in a profile: `function trim() { [native code] }` → `trim`. */
export function builtinName(functionName: string): string {
  return /^function (\w*)\(\) \{ \[native code\] \}$/.exec(functionName)?.[1] ?? functionName;
}

/**
 * A frame without a script that is V8's own (its caller did the work): a small built-in, a
 * constructor (`String`), or a nameless stub. An addon's function always has a name.
 */
function isMinorBuiltin(f: OpFrame): boolean {
  if (!isNative(f)) return false;
  const name = builtinName(f.functionName);
  return !name || MINOR_BUILTINS.has(name) || /^[A-Z]\w*$/.test(name);
}

/** Compiled regular expression code: V8 names it `RegExp: <source>`. */
function regExpOf(f: OpFrame): string | undefined {
  return isNative(f) && f.functionName.startsWith('RegExp: ')
    ? `RegExp /${f.functionName.slice(8)}/`
    : undefined;
}

/**
 * Calls on a source line that name the operation when the profile shows no frame for it: V8's
 * sampler books `JSON.stringify` and regular expressions to the line that calls them.
 */
const LINE_OPS: Array<[RegExp, string]> = [
  [/\bJSON\.stringify\s*\(/, 'JSON.stringify'],
  [/\bJSON\.parse\s*\(/, 'JSON.parse'],
  [/\bBuffer\.from\s*\(/, 'Buffer.from'],
  [/\bstructuredClone\s*\(/, 'structuredClone'],
  [/\.exec\s*\(/, 'RegExp.prototype.exec'],
  [/\/[^/\n]+\/[gimsuy]*\.test\s*\(|\bRegExp\b.*\.test\s*\(/, 'RegExp.prototype.test'],
  [/\.replace(All)?\s*\(\s*\//, 'String.prototype.replace'],
  [/\.match(All)?\s*\(/, 'String.prototype.match'],
  [/\.sort\s*\(/, 'Array.prototype.sort'],
];

/** The operation a source line calls, when it is one of the well-known heavy built-ins. */
export function lineOperation(lineText: string | undefined): string | undefined {
  if (!lineText) return undefined;
  const code = lineText.replace(/\/\/.*$/, '');
  return LINE_OPS.find(([re]) => re.test(code))?.[1];
}

/**
 * Node's argument checks (`isInt32`, `validateFunction`): never the work, their caller's. A real
 * stack taken while a long native call blocked shows one on top: V8 runs the probe at the next
 * JavaScript call after the native one returned (`fs.writeFile` checks its `fd` right after
 * converting its string with `Buffer.from`).
 */
function isValidator(f: OpFrame): boolean {
  return f.url === 'node:internal/validators';
}

function isNative(f: OpFrame): boolean {
  return !f.url || f.url === '(native)';
}

function isNodeFrame(f: OpFrame): boolean {
  return f.url.startsWith('node:');
}

/** The public module a Node-internal URL belongs to: `node:internal/fs/utils` → `fs`. */
export function nodeModuleOf(url: string): string {
  const m = url.replace(/^node:/, '').replace(/^internal\//, '');
  if (/^modules\//.test(m)) return 'require';
  const head = m.split('/')[0];
  // `internal/process/per_thread` → `process` (so `process.cpuUsage`, not a file path).
  return ['crypto', 'fs', 'child_process', 'process'].includes(head!) ? head! : m;
}

/** The innermost Node module's frames: from the first Node frame, those of the same module. */
function innermostNodeGroup(frames: OpFrame[]): { from: number; to: number } | undefined {
  let i = 0;
  while (i < frames.length && isNative(frames[i])) i++;
  if (i >= frames.length || !isNodeFrame(frames[i])) return undefined;
  const mod = nodeModuleOf(frames[i].url);
  let j = i;
  while (j + 1 < frames.length && isNodeFrame(frames[j + 1])) {
    if (nodeModuleOf(frames[j + 1].url) !== mod) break;
    j++;
  }
  return { from: i, to: j };
}

/** The outermost sync fs/child_process frame among the contiguous Node frames from `from`. */
function outerSyncIo(frames: OpFrame[], from: number): OpFrame | undefined {
  let io: OpFrame | undefined;
  for (let k = from; k < frames.length && isNodeFrame(frames[k]); k++) {
    if (isSyncIoFrame(frames[k].functionName, frames[k].url)) io = frames[k];
  }
  return io;
}

/** Whether the contiguous Node frames from the innermost one run inside `require`. */
function inRequire(frames: OpFrame[], from: number): boolean {
  for (let k = from; k < frames.length && isNodeFrame(frames[k]); k++) {
    if (nodeModuleOf(frames[k].url) === 'require') return true;
  }
  return false;
}

/** The kind of a stack (innermost first) by its shape; see the file's comment. */
export function kindOfStack(frames: OpFrame[]): CodeStallKind {
  const leaf = frames[0];
  if (!leaf) return 'cpu';
  if (leaf.functionName === '(garbage collector)') return 'gc';
  const g = innermostNodeGroup(frames);
  if (g) {
    // Inside a sync fs/child_process call (its own frames, or a helper it called: V8 may book a
    // long read to the buffer allocation before it), the thread waits in a system call.
    for (let k = g.from; k < frames.length && isNodeFrame(frames[k]); k++) {
      if (isSyncIoFrame(frames[k].functionName, frames[k].url)) return 'sync-io';
    }
    return 'cpu';
  }
  // A binding called from JavaScript: a built-in V8 names (JSON.stringify in a real stack) is
  // CPU work; anything else is an addon's code the recorder cannot see into.
  if (isNative(leaf) && frames.length > 1) {
    const known = BUILTINS[builtinName(leaf.functionName)] || regExpOf(leaf);
    return known || isMinorBuiltin(leaf) ? 'cpu' : 'native';
  }
  return 'cpu';
}

/**
 * The operation's human name; `named` when it is a Node API, a V8 built-in or garbage
 * collection (not just a function of the user or a package). `lineOf(i)` gives the source line
 * frame `i` was at (the leaf's hottest line, a caller's call line), when known; `packageEntry`
 * names a pure-JavaScript operation of a package by the package and the function the caller
 * called (`ejs.renderFile`).
 */
export function operationOf(
  frames: OpFrame[],
  lineOf: (i: number) => string | undefined = () => undefined,
  packageEntry?: () => string | undefined,
): { name: string; named: boolean } | undefined {
  if (frames.length > 1 && (isMinorBuiltin(frames[0]) || isValidator(frames[0]))) {
    // `data.trim()` in a package: the caller's line and function name the work.
    return operationOf(frames.slice(1), (i) => lineOf(i + 1), packageEntry);
  }
  const leaf = frames[0];
  if (!leaf) return undefined;
  const named = (name: string) => ({ name, named: true });
  if (leaf.functionName === '(garbage collector)') return named('garbage collection');
  if (leaf.functionName === '(program)') return { name: 'V8 (program)', named: false };
  const builtin = BUILTINS[builtinName(leaf.functionName)] ?? regExpOf(leaf);
  if (isNative(leaf) && builtin) return named(builtin);
  const g = innermostNodeGroup(frames);
  if (g) {
    if (inRequire(frames, g.from)) return named('require');
    const api = frames[g.to];
    const mod = nodeModuleOf(api.url);
    const group = frames.slice(g.from, g.to + 1);
    if (mod === 'buffer') {
      // readFileSync allocates its buffer first; on a busy machine V8 may book the whole read
      // to that allocation (as kindOfStack says): the sync call around it names the stall.
      const io = outerSyncIo(frames, g.to + 1);
      if (io) return named(`${nodeModuleOf(io.url)}.${io.functionName}`);
      const fromString = group.some((f) => f.functionName === 'fromString');
      return named(`Buffer.${api.functionName}${fromString ? ' (string)' : ''}`);
    }
    // zlib's sync calls are one wrapper (`syncBufferWrapper`): the caller's line names it.
    const called = /\b(\w+Sync)\s*\(/.exec(lineOf(g.to + 1) ?? '')?.[1];
    if (mod === 'zlib' && called) return named(`zlib.${called}`);
    return named(`${mod}.${api.functionName || '(anonymous)'}`);
  }
  if (isNative(leaf)) return { name: `native ${leaf.functionName || 'code'}`, named: true };
  const onLine = lineOperation(lineOf(0));
  if (onLine) return named(onLine);
  return { name: packageEntry?.() ?? (leaf.functionName || '(top level)'), named: false };
}
