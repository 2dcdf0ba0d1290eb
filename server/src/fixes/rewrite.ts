/**
 * The "use the non-blocking API" quick fixes: `await fs.promises.readFile(...)`,
 * `await readFile(...)` from `fs/promises`, `(await promisify(exec)(cmd)).stdout`, ... Offered
 * only where `await` is legal, or where the enclosing callback can safely become `async`.
 */
import { ts } from 'ts-morph';
import {
  collectBindings,
  resolveCallee,
  usedNames,
  type ModuleBinding,
  type ResolvedCallee,
} from './bindings';
import { ImportPlan } from './imports';
import {
  awaitIsLegal,
  enclosingFunction,
  isAsync,
  type FunctionLike,
  type SourceText,
} from './source';
import { targetFor, type AsyncTarget } from './targets';
import type { Fix } from './types';

/**
 * Callees whose callback may become `async` without changing behaviour: they ignore the
 * callback's return value (timers, events, route handlers) or await it anyway (`then`).
 */
const ASYNC_SAFE_REGISTRARS = new Set(
  (
    'setTimeout setInterval setImmediate nextTick queueMicrotask on once addListener ' +
    'prependListener prependOnceListener then catch finally createServer get post put patch ' +
    'delete del head options all use'
  ).split(' '),
);

/** The rewrite fixes of the call at `offset` (none when it cannot be rewritten faithfully). */
export function rewriteFixes(src: SourceText, offset: number, end: number, api: string): Fix[] {
  const call = src.callAt(offset, end);
  if (!call) return [];
  const bindings = collectBindings(src);
  const resolved = resolveCallee(call, bindings);
  const callee = resolved ?? typedReceiver(call, api);
  if (!callee) return [];
  const argsText = src.text.slice(call.expression.getEnd(), call.getEnd());
  const found = targetFor(callee, argsText);
  // Known only from the engine's types (`deps.fs.readFileSync`): right API, unproven object.
  const target = found && !resolved ? { ...found, safe: false } : found;
  if (!target) return [];
  if (awaitIsLegal(src, call)) {
    const fix = buildRewrite(src, call, bindings, target, undefined);
    return fix ? [fix] : [];
  }
  const callback = asyncSafeCallback(call);
  if (!callback) return [];
  const fix = buildRewrite(src, call, bindings, target, callback);
  return fix ? [fix] : [];
}

function buildRewrite(
  src: SourceText,
  call: ts.CallExpression,
  bindings: ModuleBinding[],
  target: AsyncTarget,
  callback: FunctionLike | undefined,
): Fix | undefined {
  const callee = resolveCallee(call, bindings);
  const names = usedNames(src);
  const plan = new ImportPlan(src, bindings, names);
  const newCallee = calleeText(src, call, bindings, target, plan);
  if (newCallee === undefined) return undefined;
  if (callee?.binding && unusedAfter(callee.binding, callee.nameNode, names)) {
    plan.remove(callee.binding);
  }
  const argsText = src.text.slice(call.expression.getEnd(), call.getEnd());
  const awaited = `await ${newCallee}${argsText}`;
  const callText = wrap(call, awaited, target.resultProp);
  const edits = [src.edit(call.getStart(src.sf), call.getEnd(), callText), ...plan.edits()];
  if (callback) {
    const at = callback.getStart(src.sf);
    edits.push(src.edit(at, at, 'async '));
  }
  edits.sort(
    (a, b) =>
      a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
  const shown = `await ${newCallee}(…)`;
  const title = callback
    ? `Make the callback async and use \`${shown}\``
    : `Replace with \`${callText.endsWith(`).${target.resultProp}`) ? `(${shown}).${target.resultProp}` : shown}\``;
  return { title, kind: 'rewrite', isPreferred: target.safe && !callback, edits };
}

/** The new callee text (`fs.promises.readFile`, `readFile`, `promisify(exec)`). */
function calleeText(
  src: SourceText,
  call: ts.CallExpression,
  bindings: ModuleBinding[],
  target: AsyncTarget,
  plan: ImportPlan,
): string | undefined {
  const callee = call.expression;
  const member = ts.isPropertyAccessExpression(callee);
  const objText = member ? callee.expression.getText(src.sf) : '';
  switch (target.shape) {
    case 'fsPromises': {
      const hasFsPromises = bindings.some((b) => b.module === 'fs/promises');
      if (member && !hasFsPromises) return `${objText}.promises.${target.asyncName}`;
      return plan.refer(['fs/promises'], target.asyncName);
    }
    case 'direct':
      return member
        ? `${objText}.${target.asyncName}`
        : plan.refer([target.module], target.asyncName);
    case 'promisify': {
      const fn = member
        ? `${objText}.${target.asyncName}`
        : plan.refer([target.module], target.asyncName);
      const promisify = plan.refer(['util'], 'promisify');
      return fn && promisify ? `${promisify}(${fn})` : undefined;
    }
  }
}

/** True when the sync binding has no use left once this call is rewritten. */
function unusedAfter(
  binding: ModuleBinding,
  callNode: ts.Identifier,
  names: Map<string, ts.Identifier[]>,
): boolean {
  const uses = names.get(binding.local) ?? [];
  return uses.every((id) => id === callNode || isBindingName(id, binding));
}

function isBindingName(id: ts.Identifier, binding: ModuleBinding): boolean {
  for (let n: ts.Node | undefined = id; n; n = n.parent) {
    if (n === binding.site.statement) return true;
  }
  return false;
}

/** Adds parentheses (and `.stdout`) where `await x(...)` would otherwise bind differently. */
function wrap(call: ts.CallExpression, awaited: string, resultProp: string | undefined): string {
  const p = call.parent;
  const valueUsed = !(ts.isExpressionStatement(p) || ts.isVoidExpression(p));
  if (resultProp && valueUsed) return `(${awaited}).${resultProp}`;
  const needsParens =
    ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) &&
      p.expression === call) ||
    (ts.isCallExpression(p) && p.expression === call) ||
    ts.isTaggedTemplateExpression(p) ||
    ts.isNonNullExpression(p) ||
    (ts.isBinaryExpression(p) &&
      p.left === call &&
      p.operatorToken.kind === ts.SyntaxKind.AsteriskAsteriskToken);
  return needsParens ? `(${awaited})` : awaited;
}

/** Modules named by the engine's `api` text (`fs.readFileSync` → `fs`). */
const API_MODULES = new Set(['fs', 'child_process', 'zlib', 'crypto']);

/**
 * A member call the file's imports do not explain, whose API the engine resolved through types
 * (an injected `deps.fs`): trusted as that module's object.
 */
function typedReceiver(call: ts.CallExpression, api: string): ResolvedCallee | undefined {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.name)) return undefined;
  const dot = api.lastIndexOf('.');
  const module = api.slice(0, dot);
  if (!API_MODULES.has(module) || api.slice(dot + 1) !== callee.name.text) return undefined;
  return { module, name: callee.name.text, via: 'member', nameNode: callee.name };
}

/**
 * The sync callback around `call` when making it `async` is safe: a function expression or
 * arrow passed straight to a timer, event, promise or route registration.
 */
function asyncSafeCallback(call: ts.CallExpression): FunctionLike | undefined {
  const fn = enclosingFunction(call);
  if (!fn || isAsync(fn) || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) {
    return undefined;
  }
  if (fn.asteriskToken) return undefined;
  const parent = fn.parent;
  if (!ts.isCallExpression(parent) || !parent.arguments.includes(fn as ts.Expression)) {
    return undefined;
  }
  const c = parent.expression;
  const name = ts.isIdentifier(c) ? c.text : ts.isPropertyAccessExpression(c) ? c.name.text : '';
  // An `exit` listener must finish synchronously: work after an `await` there never runs.
  const event = parent.arguments[0];
  if (event && ts.isStringLiteralLike(event) && event.text === 'exit') return undefined;
  return ASYNC_SAFE_REGISTRARS.has(name) ? fn : undefined;
}
