/**
 * When may CPU work move to a worker thread without changing what the program computes? Read
 * from syntax alone: the flagged call `f(args)` sits in an async function (so it can `await`),
 * and `f` is self-contained: a top-level function, a function or arrow bound to a top-level
 * `const`, a method of a top-level class that uses neither `this` nor `super`, or a function
 * exported by another module of the workspace that is safe to load in a worker. It uses only
 * its parameters, its own locals, globals a worker has too, and names imported from Node modules
 * without shared state; its parameters and result are plain data (a structured clone keeps
 * them); it never mutates its arguments (the worker would mutate a copy).
 */
import { ts } from 'ts-morph';
import { collectBindings, usedNames, type ModuleBinding } from '../bindings';
import { awaitIsLegal, enclosingFunction, type SourceText } from '../source';
import { importedTarget } from './imported';
import { type ModuleReader } from './moduleSafety';
import { isPlainType, PURE_MODULES, WORKER_GLOBALS } from './plainData';
import { reasonText } from './reason';
import { freeNames, mutatesParameter, usesOwnScope } from './scope';
import {
  isDefaultExport,
  localTarget,
  workerDeclaration,
  type LocalTarget,
  type Offloadable,
} from './target';

/** A call that can be offloaded, with what the rewrite needs. */
export interface OffloadPlan {
  call: ts.CallExpression;
  /** The function's name in the worker module (and the base of the pool's name). */
  name: string;
  /** The function moved from the calling file; absent for an imported helper, which stays. */
  moved?: {
    target: LocalTarget;
    /** Its doc comment and code as the worker module declares it. */
    doc: string;
    code: string;
  };
  /**
   * Imports the worker module needs: the Node modules the moved function uses, or the imported
   * helper's own binding. Each is dropped from the calling file when nothing else there uses it.
   */
  imports: ModuleBinding[];
  /** What was checked, for the hover and the fix title. */
  reason: string;
}

/** The plan for the call at `[start, end)` to `callee`, or why it cannot be offloaded. */
export function planOffload(
  src: SourceText,
  start: number,
  end: number,
  callee: string,
  read?: ModuleReader,
): OffloadPlan | { refused: string } {
  const call = src.callAt(start, end);
  if (!call) return { refused: `no call of \`${callee}\` is there` };
  const problem = callProblem(src, call);
  if (problem) return { refused: problem };
  const local = localTarget(src, call, callee);
  if (local && 'refused' in local) return local;
  if (!local) {
    const imported = importedTarget(src, call, read);
    if (!imported) {
      return { refused: `\`${callee}\` is not a function of this file or one it imports` };
    }
    if ('refused' in imported) return imported;
    const name = imported.binding.local;
    const m = imported.module;
    const allowed = new Set([...imported.moduleNames, ...collectBindings(m).map((b) => b.local)]);
    const refused =
      functionProblem(m, imported.fn, name) ?? namesProblem(m, imported.fn, name, allowed, []);
    if (refused) return { refused };
    const reason = reasonText(m, imported.fn, name, [], {
      imported: imported.binding.site.specifier,
    });
    const clash = nameClash(src, name, []);
    if (clash) return { refused: clash };
    return { call, name, imports: [imported.binding], reason };
  }
  const t = local;
  const refused = localProblem(src, t, call);
  if (refused) return { refused };
  const bindings = collectBindings(src);
  const imports: ModuleBinding[] = [];
  const namesRefused =
    namesProblem(src, t.fn, t.display, new Set([t.name]), imports, bindings) ??
    nameClash(src, t.name, imports);
  if (namesRefused) return { refused: namesRefused };
  const reason = reasonText(src, t.fn, t.display, imports, { kind: t.kind, exported: t.exported });
  return {
    call,
    name: t.name,
    moved: { target: t, ...workerDeclaration(src, t) },
    imports,
    reason,
  };
}

/** Why the call site cannot await a worker, or undefined. */
function callProblem(src: SourceText, call: ts.CallExpression): string | undefined {
  const fn = enclosingFunction(call);
  if (!fn) {
    return 'the call runs once, when the module loads (or in a class field); awaiting a worker there would make every importer wait';
  }
  if (!awaitIsLegal(src, call)) {
    const name = functionName(fn);
    const who = name ? `\`${name}\`` : 'the function around it';
    return `the call is in ${who}, which is not async: making it async would hand its own callers a Promise instead of a value, so the fix leaves that to you (make ${who} async and await it, then the fix is offered)`;
  }
  if (call.arguments.some((a) => ts.isSpreadElement(a))) return 'the call spreads its arguments';
  if (call.arguments.some((a) => ts.isFunctionLike(a) || ts.isClassExpression(a))) {
    return 'an argument is a function, which a worker cannot receive';
  }
  return undefined;
}

function functionName(fn: ts.Node): string | undefined {
  const named = fn as { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) {
    return fn.parent.name.text;
  }
  return undefined;
}

/** Why a function of the calling file cannot leave it, or undefined. */
function localProblem(
  src: SourceText,
  t: LocalTarget,
  call: ts.CallExpression,
): string | undefined {
  if (t.kind === 'method') {
    const cls = t.cls!;
    const clsName = cls.name?.text ?? '';
    if (usesOwnScope(t.fn)) {
      return `\`${t.display}\` uses \`this\` or \`super\`: the object it belongs to stays on the main thread and a worker gets no copy of it, so only methods that use neither are offered`;
    }
    // Other modules cannot call a `private` method, even of an exported class.
    const isPrivate = ts.getModifiers(t.fn)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword);
    if (!isPrivate && classExported(src, cls)) {
      return `\`${clsName}\` is exported and \`${t.name}\` is not private: other modules may call it, and the fix would take it out of the class`;
    }
    const sub = src.sf.statements.find(
      (s) =>
        ts.isClassDeclaration(s) &&
        s.heritageClauses?.some((h) =>
          h.types.some((x) => x.expression.getText(src.sf) === clsName),
        ),
    );
    if (sub) return `a subclass of \`${clsName}\` may override \`${t.name}\``;
    if (ts.getDecorators(t.fn as ts.MethodDeclaration)?.length) {
      return `\`${t.display}\` is decorated`;
    }
  }
  if (t.exported && (isDefaultExport(t.node) || !src.isEsm)) {
    return `\`${t.display}\` is a default export or exported by CommonJS; moving it would change what the module exports`;
  }
  return functionProblem(src, t.fn, t.display) ?? otherReferences(src, t, call);
}

/** Why `fn` cannot run in a worker as it is, or undefined when it can. */
function functionProblem(src: SourceText, fn: Offloadable, name: string): string | undefined {
  const mods = (ts.canHaveModifiers(fn) ? (ts.getModifiers(fn) ?? []) : []).map((m) => m.kind);
  if (
    mods.includes(ts.SyntaxKind.AsyncKeyword) ||
    (fn as ts.FunctionLikeDeclarationBase).asteriskToken
  ) {
    return `\`${name}\` is async or a generator`;
  }
  if (usesOwnScope(fn)) return `\`${name}\` uses \`this\`, \`arguments\` or \`new.target\``;
  for (const p of fn.parameters) {
    if (!ts.isIdentifier(p.name) || p.dotDotDotToken) {
      return `\`${name}\` has a destructured or rest parameter`;
    }
    if (p.type && !isPlainType(p.type)) {
      return `parameter \`${p.name.text}: ${p.type.getText(src.sf)}\` is not plain data`;
    }
  }
  if (fn.type && !isPlainType(fn.type)) {
    return `its result \`${fn.type.getText(src.sf)}\` is not plain data`;
  }
  const mutated = mutatesParameter(fn);
  if (mutated) return `\`${name}\` changes its argument \`${mutated}\` (a worker gets a copy)`;
  return undefined;
}

/**
 * Why the names `fn` reads from outside itself are not available in a worker, or undefined;
 * the pure Node-module bindings it uses are added to `imports`.
 */
function namesProblem(
  src: SourceText,
  fn: Offloadable,
  name: string,
  allowed: Set<string>,
  imports: ModuleBinding[],
  bindings = collectBindings(src),
): string | undefined {
  const names = freeNames(fn, src.sf);
  const local = topLevelTypes(src);
  const ownType = [...names.types].find((t) => local.has(t));
  if (ownType) return `\`${name}\` uses the type \`${ownType}\` of its file`;
  for (const n of names.values) {
    if (allowed.has(n) || WORKER_GLOBALS.has(n)) continue;
    const b = bindings.find((x) => x.local === n);
    if (!b) return `\`${name}\` uses \`${n}\` from outside the function`;
    if (!PURE_MODULES.has(b.module)) {
      return `\`${name}\` uses \`${n}\` from \`${b.module}\`, which may hold state`;
    }
    imports.push(b);
  }
  return undefined;
}

/** Types, interfaces, classes and enums declared at the file's top level. */
function topLevelTypes(src: SourceText): Set<string> {
  const out = new Set<string>();
  for (const st of src.sf.statements) {
    if (
      (ts.isInterfaceDeclaration(st) ||
        ts.isTypeAliasDeclaration(st) ||
        ts.isClassDeclaration(st) ||
        ts.isEnumDeclaration(st)) &&
      st.name
    ) {
      out.add(st.name.text);
    }
  }
  return out;
}

/** Another use of the function (or the method's name) outside its own body and the call. */
function otherReferences(
  src: SourceText,
  t: LocalTarget,
  call: ts.CallExpression,
): string | undefined {
  const callee = ts.isPropertyAccessExpression(call.expression)
    ? call.expression.name
    : call.expression;
  const own = t.kind === 'method' ? (t.fn as ts.MethodDeclaration).name : t.node;
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || node === own || node === callee) return;
    if (t.kind !== 'method' && node === t.node) return;
    // A method name counts wherever it appears, even as a property: `obj.compute` elsewhere.
    if (ts.isIdentifier(node) && node.text === t.name) found = true;
    else node.forEachChild(visit);
  };
  visit(src.sf);
  return found
    ? `\`${t.display}\` is used elsewhere too; moving it would change those uses`
    : undefined;
}

/** `export class`, `export { C }`, `export default C`, `module.exports = C` or `exports.C = C`. */
function classExported(src: SourceText, cls: ts.ClassDeclaration): boolean {
  if (ts.getModifiers(cls)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
  const name = cls.name?.text;
  const mentions = (n: ts.Node): boolean =>
    (ts.isIdentifier(n) && n.text === name) || (n.forEachChild(mentions) ?? false);
  return src.sf.statements.some(
    (st) =>
      ((ts.isExportDeclaration(st) || ts.isExportAssignment(st)) && mentions(st)) ||
      (ts.isExpressionStatement(st) &&
        /^(module\.)?exports\b/.test(st.getText(src.sf)) &&
        mentions(st)),
  );
}

/** A name the rewrite would declare (`<name>Pool`, `<name>InWorker`, the worker's function) that is taken. */
function nameClash(src: SourceText, name: string, imports: ModuleBinding[]): string | undefined {
  const used = usedNames(src);
  const taken = [`${name}Pool`, `${name}InWorker`].find((n) => used.has(n));
  if (taken) return `this file already uses the name \`${taken}\` the fix would declare`;
  if (imports.some((b) => b.local === name)) {
    return `the worker module would import \`${name}\` and declare \`${name}\` too`;
  }
  return undefined;
}
