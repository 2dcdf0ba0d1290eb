/**
 * What crosses to a worker thread unchanged: types whose values a structured clone keeps,
 * globals every worker has, and Node modules whose functions hold no per-process state.
 */
import { ts } from 'ts-morph';

/** Globals a worker thread has, whose values survive a structured clone or hold no state. */
export const WORKER_GLOBALS = new Set(
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
export const PURE_MODULES = new Set([
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
