/**
 * Constructor parameter types that survive compilation as decorator metadata. tsc and SWC emit
 * them for decorated classes (`emitDecoratorMetadata`, as every NestJS build does):
 * `X = __decorate([…, __metadata("design:paramtypes", [users_service_1.UsersService])], X)` or
 * `_ts_decorate([…, _ts_metadata("design:paramtypes", [typeof UsersService === "undefined" ?
 * Object : UsersService])], X)`. With them, `constructor(users) { this.users = users; }` in the
 * compiled JavaScript knows that `users` is a UsersService, as the TypeScript source did.
 */
import type { ts } from 'ts-morph';
import { T } from './tsApi';
import { helperName, stringOf, unwrap } from './syntax';
import type { Evaluator, Scope } from './values';

export interface ParamTypes {
  target: ts.Expression;
  types: readonly ts.Expression[];
  scope: Scope;
}

/** Records `__decorate([… __metadata('design:paramtypes', [...]) …], X)`. */
export function noteParamTypes(
  rec: { paramTypes: ParamTypes[] },
  call: ts.CallExpression,
  scope: Scope,
): void {
  const name = helperName(call.expression);
  if ((name !== '__decorate' && name !== '_ts_decorate') || call.arguments.length !== 2) return;
  const [list, target] = call.arguments;
  if (!list || !target || !T.isArrayLiteralExpression(list)) return;
  for (const d of list.elements) {
    if (!T.isCallExpression(d)) continue;
    const n = helperName(d.expression);
    const types = d.arguments[1];
    if (n !== '__metadata' && n !== '_ts_metadata') continue;
    if (stringOf(d.arguments[0]) !== 'design:paramtypes' || !types) continue;
    if (T.isArrayLiteralExpression(types)) {
      rec.paramTypes.push({ target, types: types.elements, scope });
    }
  }
}

/** Binds each untyped constructor parameter to an instance of its recorded type. */
export function applyParamTypes(
  all: readonly ParamTypes[],
  ev: Evaluator,
  ctorOf: (cls: number) => { params: readonly ts.ParameterDeclaration[]; scope: Scope } | undefined,
): void {
  for (const p of all) {
    const cls = ev.eval(p.target, p.scope);
    const ctor = cls?.k === 'cls' ? ctorOf(cls.cls) : undefined;
    if (!ctor) continue;
    ctor.params.forEach((param, i) => {
      const t = p.types[i] && typeExpr(p.types[i]);
      if (!t || !T.isIdentifier(param.name) || param.type) return;
      ctor.scope.vars.set(param.name.text, { k: 'expr', expr: t, scope: p.scope, path: ['()'] });
    });
  }
}

/**
 * `X`, `m_1.X`; SWC's `typeof X === "undefined" ? Object : X`; tsc's isolated-modules form
 * `typeof (_a = typeof m_1.X !== "undefined" && m_1.X) === "function" ? _a : Object`.
 * `Object` means no class.
 */
function typeExpr(e: ts.Expression): ts.Expression | undefined {
  let t = unwrap(e);
  if (T.isConditionalExpression(t)) {
    t = isObject(t.whenTrue) ? unwrap(t.whenFalse) : lastOperand(t.condition);
  }
  if (isObject(t)) return undefined;
  return T.isIdentifier(t) || T.isPropertyAccessExpression(t) ? t : undefined;
}

function isObject(e: ts.Expression): boolean {
  const u = unwrap(e);
  return T.isIdentifier(u) && u.text === 'Object';
}

/** The tested value of `typeof (_a = typeof X !== "undefined" && X) === "function"`: X. */
function lastOperand(e: ts.Expression, depth = 0): ts.Expression {
  const u = unwrap(e);
  if (depth > 6) return u;
  if (T.isTypeOfExpression(u)) return lastOperand(u.expression, depth + 1);
  if (!T.isBinaryExpression(u)) return u;
  const op = u.operatorToken.kind;
  const SK = T.SyntaxKind;
  if (op === SK.EqualsEqualsEqualsToken || op === SK.ExclamationEqualsEqualsToken) {
    return lastOperand(u.left, depth + 1);
  }
  return op === SK.EqualsToken || op === SK.AmpersandAmpersandToken
    ? lastOperand(u.right, depth + 1)
    : u;
}
