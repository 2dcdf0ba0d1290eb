/**
 * When may CPU work move to a worker thread without changing what the program computes? Read
 * from syntax alone: the flagged call `f(args)` sits in an async function (so it can `await`),
 * and `f` is a top-level function of the same file that is self-contained: it uses only its
 * parameters, its own locals, globals a worker has too, and names imported from Node modules
 * without shared state; its parameters and result are plain data (a structured clone keeps
 * them); it never mutates its arguments (the worker would mutate a copy) and never uses `this`.
 */
import { ts } from 'ts-morph';
import { collectBindings, type ModuleBinding } from '../bindings';
import { awaitIsLegal, type SourceText } from '../source';
import { freeNames, mutatesParameter, usesOwnScope } from './scope';

/** Globals a worker thread has, whose values survive a structured clone or hold no state. */
const WORKER_GLOBALS = new Set(
  (
    'Math JSON Number String Boolean BigInt Array Object Date RegExp Error TypeError RangeError ' +
    'SyntaxError Map Set Symbol Infinity NaN undefined parseInt parseFloat isNaN isFinite ' +
    'encodeURIComponent decodeURIComponent encodeURI decodeURI ArrayBuffer DataView Uint8Array ' +
    'Int8Array Uint16Array Int16Array Uint32Array Int32Array Float32Array Float64Array ' +
    'BigInt64Array BigUint64Array TextEncoder TextDecoder Buffer structuredClone console ' +
    'Intl atob btoa'
  ).split(' '),
);

/** Node modules whose functions depend only on their arguments (no per-process state to lose). */
const PURE_MODULES = new Set([
  'crypto',
  'zlib',
  'path',
  'url',
  'util',
  'buffer',
  'querystring',
  'string_decoder',
]);

/** Type names a structured clone keeps (besides keywords, literals, arrays and object types). */
const PLAIN_TYPES = new Set(
  'Array ReadonlyArray Record Partial Readonly Map Set Date RegExp Uint8Array Buffer ArrayBuffer Int32Array Float64Array Uint32Array'.split(
    ' ',
  ),
);

/** A call that can be offloaded, with what the rewrite needs. */
export interface OffloadPlan {
  call: ts.CallExpression;
  fn: ts.FunctionDeclaration;
  name: string;
  /** Imports the function uses, to be repeated in the worker module. */
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
): OffloadPlan | { refused: string } {
  const call = src.callAt(start, end);
  if (!call || !ts.isIdentifier(call.expression) || call.expression.text !== callee) {
    return { refused: `the call is not a plain call of \`${callee}\`` };
  }
  if (!awaitIsLegal(src, call) || !inAsyncFunction(call)) {
    return { refused: 'the call is not inside an async function, so it cannot await a worker' };
  }
  if (call.arguments.some((a) => ts.isSpreadElement(a))) {
    return { refused: 'the call spreads its arguments' };
  }
  if (call.arguments.some((a) => ts.isFunctionLike(a) || ts.isClassExpression(a))) {
    return { refused: 'an argument is a function, which a worker cannot receive' };
  }
  const fn = topLevelFunction(src, callee);
  if (!fn) return { refused: `\`${callee}\` is not a top-level function of this file` };
  const refused = functionProblem(src, fn, callee);
  if (refused) return { refused };
  const bindings = collectBindings(src);
  const names = freeNames(fn, src.sf);
  const local = topLevelNames(src);
  const ownType = [...names.types].find((t) => local.has(t));
  if (ownType) return { refused: `\`${callee}\` uses the type \`${ownType}\` of this file` };
  const imports: ModuleBinding[] = [];
  for (const n of names.values) {
    if (n === callee || WORKER_GLOBALS.has(n)) continue;
    const b = bindings.find((x) => x.local === n);
    if (!b) return { refused: `\`${callee}\` uses \`${n}\` from outside the function` };
    if (!PURE_MODULES.has(b.module)) {
      return { refused: `\`${callee}\` uses \`${n}\` from \`${b.module}\`, which may hold state` };
    }
    imports.push(b);
  }
  if (otherReferences(src, fn, call, callee)) {
    return { refused: `\`${callee}\` is used elsewhere too; moving it would change those uses` };
  }
  return { call, fn, name: callee, imports, reason: reasonText(src, fn, imports) };
}

/** Names declared or imported by the file's top-level statements. */
function topLevelNames(src: SourceText): Set<string> {
  const out = new Set(collectBindings(src).map((b) => b.local));
  for (const st of src.sf.statements) {
    if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name) out.add(c.name.text);
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) out.add(nb.name.text);
      if (nb && ts.isNamedImports(nb)) for (const e of nb.elements) out.add(e.name.text);
    } else if (
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

function inAsyncFunction(node: ts.Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isFunctionLike(n)) {
      const mods = ts.canHaveModifiers(n) ? (ts.getModifiers(n) ?? []) : [];
      return mods.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
    }
  }
  return false;
}

function topLevelFunction(src: SourceText, name: string): ts.FunctionDeclaration | undefined {
  return src.sf.statements.find(
    (s): s is ts.FunctionDeclaration =>
      ts.isFunctionDeclaration(s) && s.name?.text === name && s.body !== undefined,
  );
}

/** Why `fn` cannot run in a worker as it is, or undefined when it can. */
function functionProblem(
  src: SourceText,
  fn: ts.FunctionDeclaration,
  name: string,
): string | undefined {
  const mods = (ts.getModifiers(fn) ?? []).map((m) => m.kind);
  if (mods.includes(ts.SyntaxKind.ExportKeyword)) return `\`${name}\` is exported`;
  if (mods.includes(ts.SyntaxKind.AsyncKeyword) || fn.asteriskToken) {
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

/** Keywords, literals, arrays, tuples, object literal types, unions of those, and a few names. */
export function isPlainType(t: ts.TypeNode): boolean {
  switch (t.kind) {
    case ts.SyntaxKind.NumberKeyword:
    case ts.SyntaxKind.StringKeyword:
    case ts.SyntaxKind.BooleanKeyword:
    case ts.SyntaxKind.BigIntKeyword:
    case ts.SyntaxKind.UndefinedKeyword:
    case ts.SyntaxKind.NullKeyword:
    case ts.SyntaxKind.VoidKeyword:
    case ts.SyntaxKind.LiteralType:
      return true;
  }
  if (ts.isArrayTypeNode(t)) return isPlainType(t.elementType);
  if (ts.isTupleTypeNode(t)) {
    return t.elements.every((e) => isPlainType(ts.isNamedTupleMember(e) ? e.type : e));
  }
  if (ts.isUnionTypeNode(t)) return t.types.every(isPlainType);
  if (ts.isParenthesizedTypeNode(t)) return isPlainType(t.type);
  if (ts.isTypeOperatorNode(t)) return isPlainType(t.type);
  if (ts.isTypeLiteralNode(t)) {
    return t.members.every((m) => ts.isPropertySignature(m) && !!m.type && isPlainType(m.type));
  }
  if (ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName)) {
    return PLAIN_TYPES.has(t.typeName.text) && (t.typeArguments ?? []).every(isPlainType);
  }
  return false;
}

/** Another use of the function's name outside its own body and the flagged call. */
function otherReferences(
  src: SourceText,
  fn: ts.FunctionDeclaration,
  call: ts.CallExpression,
  name: string,
): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || node === fn || node === call.expression) return;
    if (ts.isIdentifier(node) && node.text === name) found = true;
    else node.forEachChild(visit);
  };
  visit(src.sf);
  return found;
}

function reasonText(src: SourceText, fn: ts.FunctionDeclaration, imports: ModuleBinding[]): string {
  const params = fn.parameters.map((p) => `\`${p.getText(src.sf)}\``).join(', ') || 'none';
  const modules = [...new Set(imports.map((b) => `\`${b.site.specifier}\``))];
  const uses = modules.length ? `, and ${modules.join(', ')}` : '';
  return (
    `\`${fn.name!.text}\` is self-contained: it uses only its parameters (${params}), its own ` +
    `locals and built-in globals${uses}; it does not change its arguments or use \`this\`, so ` +
    'a worker thread computes the same result from a copy of the arguments while the event ' +
    'loop stays free.'
  );
}
