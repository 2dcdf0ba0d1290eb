/**
 * Event-loop contexts of callbacks: which functions passed as arguments run later on the event
 * loop (timers, promise reactions, event handlers, servers, routes, async Node APIs) and which
 * the callee runs synchronously in place (forEach, map, new Promise executors).
 */
import type { ts } from 'ts-morph';
import { T } from './tsApi';
import { propertyName, short, unwrap } from './syntax';
import type { Value } from './values';

const timers = new Set([
  'setTimeout',
  'setInterval',
  'setImmediate',
  'queueMicrotask',
  'nextTick',
  'requestIdleCallback',
]);
const promiseReactions = new Set(['then', 'catch', 'finally']);
const events = new Set([
  'on',
  'once',
  'addListener',
  'prependListener',
  'prependOnceListener',
  'addEventListener',
]);
const servers = new Set(['createServer', 'createSecureServer']);
const routes = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'del',
  'head',
  'options',
  'all',
  'use',
  'any',
  'addHook',
  'route',
  'ws',
]);
/** Route options whose function values are request handlers (`fastify.route({ handler })`). */
export const routeOptionKeys = new Set([
  'handler',
  'preHandler',
  'onRequest',
  'preValidation',
  'preParsing',
  'onSend',
  'onResponse',
  'preSerialization',
]);
/** Array methods that call their callback synchronously: a helper passed to them is called. */
export const syncIterators = new Set([
  'forEach',
  'map',
  'filter',
  'reduce',
  'reduceRight',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'findLastIndex',
  'flatMap',
  'sort',
  'toSorted',
]);
/** Node modules whose callback-taking functions call back later, from the event loop. */
const asyncNodeModules = new Set([
  'fs',
  'child_process',
  'zlib',
  'crypto',
  'dns',
  'net',
  'http',
  'https',
  'http2',
  'tls',
  'dgram',
  'stream',
  'readline',
  'events',
  'cluster',
  'worker_threads',
  'fs-extra',
  'graceful-fs',
]);

export type CallbackRole = { event: string } | 'inline';

/** The callee's last name: `setTimeout`, `get` of `app.get`, `then` of `p.then`. */
export function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const c = unwrap(call.expression);
  if (T.isIdentifier(c)) return c.text;
  if (T.isPropertyAccessExpression(c)) return c.name.text;
  return undefined;
}

/**
 * How a function given as argument `index` of `call` runs. `calleeValue` is what the callee
 * resolved to; `params` are the callback's parameters when it is a literal.
 */
export function classifyCallback(
  call: ts.CallExpression | ts.NewExpression,
  index: number,
  sf: ts.SourceFile,
  calleeValue: Value | undefined,
  params?: ts.NodeArray<ts.ParameterDeclaration>,
): CallbackRole {
  if (index < 0) return 'inline';
  const name = calleeName(call);
  const text = short(call.expression.getText(sf));
  if (T.isNewExpression(call) || !name) return 'inline';
  if (timers.has(name)) return { event: `${text} callback` };
  if (promiseReactions.has(name)) return { event: `.${name} callback` };
  if (events.has(name)) {
    const ev = call.arguments[0];
    const label = ev && T.isStringLiteral(ev) ? `'${ev.text}' handler` : 'event handler';
    return { event: `${text} ${label}` };
  }
  if (servers.has(name)) return { event: 'request handler' };
  if (routes.has(name) && isRouteRegistration(call, name, index)) {
    return { event: `${text} handler` };
  }
  if (
    calleeValue?.k === 'mod' &&
    asyncNodeModules.has(calleeValue.module) &&
    !calleeValue.path.includes('()') &&
    !syncIterators.has(name)
  ) {
    const last = calleeValue.path[calleeValue.path.length - 1] ?? '';
    if (!last.endsWith('Sync')) return { event: `${text} callback` };
  }
  const first = params?.[0]?.name;
  if (
    first &&
    T.isIdentifier(first) &&
    /^(err|error|er)$/.test(first.text) &&
    index === call.arguments.length - 1
  ) {
    return { event: 'error-first callback' };
  }
  return 'inline';
}

/** `app.get('/x', h)`, `router.use(h)`, `router.route('/x').get(h)`: a route or middleware. */
function isRouteRegistration(call: ts.CallExpression, name: string, index: number): boolean {
  const first = call.arguments[0] ? unwrap(call.arguments[0]) : undefined;
  if (name === 'use' || name === 'addHook') return true;
  const callee = unwrap(call.expression);
  if (
    T.isPropertyAccessExpression(callee) &&
    T.isCallExpression(unwrap(callee.expression)) &&
    calleeName(unwrap(callee.expression) as ts.CallExpression) === 'route'
  ) {
    return true;
  }
  const pathLike =
    !!first &&
    (T.isStringLiteral(first) ||
      T.isNoSubstitutionTemplateLiteral(first) ||
      T.isTemplateExpression(first) ||
      T.isRegularExpressionLiteral(first) ||
      T.isArrayLiteralExpression(first));
  return pathLike && index >= 1;
}

/** `fastify.route({ handler: (req, reply) => … })` and `{ handler(req, reply) { … } }`. */
export function isRouteOption(node: ts.Node): boolean {
  const prop = T.isMethodDeclaration(node) ? node : node.parent;
  if (!prop || !(T.isPropertyAssignment(prop) || T.isMethodDeclaration(prop))) return false;
  const key = propertyName(prop.name);
  const obj = prop.parent;
  const call = obj?.parent;
  if (!key || !routeOptionKeys.has(key) || !obj || !T.isObjectLiteralExpression(obj)) return false;
  return !!call && T.isCallExpression(call) && calleeName(call) === 'route';
}
