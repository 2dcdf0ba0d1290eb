/**
 * Scope facts about one function, from syntax: the names it reads from outside itself, whether
 * it uses its own `this`/`arguments`, and whether it changes an argument in place.
 */
import { ts } from 'ts-morph';
import { isMemberName } from '../bindings';

/** Array, Map and Set methods that change the receiver. */
const MUTATORS = new Set(
  'push pop shift unshift splice sort reverse fill copyWithin set delete clear add'.split(' '),
);

/** Names a function reads from outside itself. */
export interface FreeNames {
  /** Values none of its own scopes declare (its own name included when it recurses). */
  values: Set<string>;
  /** Names in its type annotations (TypeScript). */
  types: Set<string>;
}

/** The names `fn` reads from outside itself. Block scopes count as their function's scope. */
export function freeNames(fn: ts.FunctionLikeDeclaration, sf: ts.SourceFile): FreeNames {
  const declared = new Map<ts.Node, Set<string>>();
  const declare = (scope: ts.Node, name: ts.BindingName): void => {
    const set = declared.get(scope) ?? new Set<string>();
    declared.set(scope, set);
    for (const id of bindingIdentifiers(name)) set.add(id);
  };
  const scopeOf = (node: ts.Node): ts.Node => {
    for (let n = node.parent; n; n = n.parent) if (n === fn || ts.isFunctionLike(n)) return n;
    return fn;
  };
  const refs: ts.Identifier[] = [];
  const types = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node)) {
      const name = ts.isTypeReferenceNode(node) ? node.typeName : node.expression;
      types.add(name.getText(sf).split('.')[0]!);
    }
    if (ts.isTypeNode(node) && !ts.isExpressionWithTypeArguments(node)) {
      node.forEachChild(visit);
      return;
    }
    if (ts.isParameter(node) || ts.isVariableDeclaration(node) || ts.isBindingElement(node)) {
      declare(ts.isParameter(node) ? node.parent : scopeOf(node), node.name);
    } else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name) {
      declare(node === fn ? fn : scopeOf(node), node.name);
    } else if (ts.isFunctionExpression(node) && node.name) {
      declare(node, node.name);
    } else if (ts.isCatchClause(node) && node.variableDeclaration) {
      declare(scopeOf(node), node.variableDeclaration.name);
    }
    if (ts.isIdentifier(node) && isReference(node)) refs.push(node);
    node.forEachChild(visit);
  };
  fn.forEachChild(visit);
  const out = new Set<string>();
  for (const id of refs) {
    let bound = false;
    for (let n: ts.Node | undefined = id.parent; n && !bound; n = n.parent) {
      bound = declared.get(n)?.has(id.text) ?? false;
      if (n === fn) break;
    }
    if (!bound) out.add(id.getText(sf));
  }
  return { values: out, types };
}

/** Identifiers a binding name introduces (`a`, `{ a, b: [c] }`). */
function bindingIdentifiers(name: ts.BindingName): string[] {
  if (ts.isIdentifier(name)) return [name.text];
  const out: string[] = [];
  for (const el of name.elements) {
    if (ts.isBindingElement(el)) out.push(...bindingIdentifiers(el.name));
  }
  return out;
}

/** Whether an identifier reads a variable (not a property name, label or declared name). */
function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (isMemberName(id)) return false;
  if (ts.isQualifiedName(p) && p.right === id) return false;
  if (ts.isPropertySignature(p) && p.name === id) return false;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  if (
    (ts.isVariableDeclaration(p) ||
      ts.isParameter(p) ||
      ts.isFunctionDeclaration(p) ||
      ts.isFunctionExpression(p) ||
      ts.isClassDeclaration(p)) &&
    p.name === id
  ) {
    return false;
  }
  if (ts.isBindingElement(p)) return p.name !== id && p.propertyName !== id;
  return true;
}

/** `this`, `arguments`, `super` or `new.target` of the function itself (not of an arrow in it). */
export function usesOwnScope(fn: ts.FunctionLikeDeclaration): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if ((ts.isFunctionLike(node) && !ts.isArrowFunction(node)) || ts.isClassLike(node)) return;
    if (
      node.kind === ts.SyntaxKind.ThisKeyword ||
      node.kind === ts.SyntaxKind.SuperKeyword ||
      ts.isMetaProperty(node) ||
      (ts.isIdentifier(node) && node.text === 'arguments' && isReference(node))
    ) {
      found = true;
      return;
    }
    node.forEachChild(visit);
  };
  // The body itself too: an arrow's expression body (`(xs) => xs.sort()`) is one node.
  if (fn.body) visit(fn.body);
  return found;
}

/**
 * The first parameter the function changes in place (`p.x = …`, `p[i]++`, `p.push(…)`,
 * `delete p.x`) or calls (a function argument would not survive the copy), else undefined.
 */
export function mutatesParameter(fn: ts.FunctionLikeDeclaration): string | undefined {
  const params = new Set(
    fn.parameters.flatMap((p) => (ts.isIdentifier(p.name) ? [p.name.text] : [])),
  );
  let found: string | undefined;
  const rootParam = (e: ts.Expression): string | undefined => {
    let x = e;
    while (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) x = x.expression;
    return ts.isIdentifier(x) && params.has(x.text) ? x.text : undefined;
  };
  const member = (e: ts.Expression): boolean =>
    ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e);
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(node) && isAssignment(node.operatorToken.kind)) {
      if (member(node.left)) found = rootParam(node.left);
    } else if (
      (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) &&
      (node.operator === ts.SyntaxKind.PlusPlusToken ||
        node.operator === ts.SyntaxKind.MinusMinusToken)
    ) {
      if (member(node.operand)) found = rootParam(node.operand);
    } else if (ts.isDeleteExpression(node)) {
      found = rootParam(node.expression);
    } else if (ts.isCallExpression(node)) {
      const c = node.expression;
      if (ts.isIdentifier(c) && params.has(c.text)) found = c.text;
      else if (ts.isPropertyAccessExpression(c) && MUTATORS.has(c.name.text)) {
        found = rootParam(c.expression);
      }
    }
    node.forEachChild(visit);
  };
  // The body itself too: an arrow's expression body (`(xs) => xs.sort()`) is one node.
  if (fn.body) visit(fn.body);
  return found;
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}
