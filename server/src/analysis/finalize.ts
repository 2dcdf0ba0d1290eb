/**
 * Turns a finished walk into a FileSummary: resolves calls and exports through the bindings,
 * classifies callbacks, finds threadpool fan-out and ReDoS uses.
 */
import type { ts } from 'ts-morph';
import { T } from './tsApi';
import { calleeName, classifyCallback, syncIterators } from './callbacks';
import { fanout, regexUse, type PatternContext } from './callPatterns';
import { keyOf, lookupApi, lookupExtraByName } from './lookup';
import { ruleDefaults } from './rules';
import type { ApiHit, CallSite, CallTarget, FileSummary } from './summaryTypes';
import type { ExtraBlockingApi } from './types';
import { classSummary } from './classes';
import { applyParamTypes } from './paramTypes';
import { jsonOnIo } from './ioData';
import { resolveAccesses } from './accessors';
import {
  helperName,
  isAsyncHelper,
  isRegeneratorMark,
  isRelative,
  short,
  stringOf,
  unwrap,
} from './syntax';
import { followable, toTarget } from './callTargets';
import { Evaluator, type Value } from './values';
import type { PendingCall, Walker } from './walker';
import { workerSpec } from './workerSpec';

export class Finalizer {
  private readonly ev: Evaluator;
  private readonly values = new Map<PendingCall, Value | undefined>();
  private readonly ctx: PatternContext;
  readonly summary: FileSummary;

  constructor(
    private readonly w: Walker,
    private readonly extra: readonly ExtraBlockingApi[] | undefined,
  ) {
    this.ev = new Evaluator(w.fnOf, w.classes, w.classOf);
    this.summary = {
      file: w.sf.fileName,
      fns: w.fns,
      exports: {},
      stars: [...w.stars],
      registrations: [],
      workerSpecs: [],
      imports: [...w.imports],
      notes: [],
    };
    this.ctx = {
      w,
      ev: this.ev,
      values: this.values,
      push: (p, target, name) => this.push(p, target, name),
    };
  }

  run(): FileSummary {
    if (this.w.paramTypes.length) {
      applyParamTypes(this.w.paramTypes, this.ev, (cls) => {
        const ctor = this.w.classes[cls]?.ctor;
        const scope = ctor === undefined ? undefined : this.w.ctorScopes.get(ctor);
        return scope && { params: this.w.fnNodes[ctor!]!.parameters, scope };
      });
    }
    for (const p of this.w.pending) this.values.set(p, this.calleeValue(p));
    for (const p of this.w.pending) this.resolveCall(p);
    this.classifyCallbacks();
    resolveAccesses(this.w, this.ev);
    for (const p of this.w.pending) {
      fanout(this.ctx, p);
      jsonOnIo(this.ctx, p);
    }
    this.resolveExports();
    this.classSummaries();
    for (const f of this.summary.fns) {
      f.calls.sort((a, b) => a.line - b.line || a.column - b.column);
    }
    return this.summary;
  }

  private calleeValue(p: PendingCall): Value | undefined {
    return this.ev.eval(p.node.expression, p.scope);
  }

  private site(p: PendingCall, target: CallTarget, name?: string): CallSite {
    const callee = p.node.expression;
    const s = this.w.span(T.isNewExpression(p.node) ? p.node : callee, callee);
    // `(0, fs_1.readFileSync)(p)` of compiled code reads as `fs_1.readFileSync`.
    const shown = T.isParenthesizedExpression(callee) ? unwrap(callee) : callee;
    // Field by field: a spread copy of the span cost a tenth of an edit's summary (profile).
    return {
      line: s.line,
      column: s.column,
      endLine: s.endLine,
      endColumn: s.endColumn,
      name: name ?? short(shown.getText(this.w.sf)),
      target,
    };
  }

  private push(p: PendingCall, target: CallTarget, name?: string, method?: boolean): void {
    const site = this.site(p, target, name);
    if (method) site.method = true;
    this.w.fns[p.fn]!.calls.push(site);
  }

  private resolveCall(p: PendingCall): void {
    const node = p.node;
    const callee = unwrap(node.expression);
    const v = this.values.get(p);
    if (T.isNewExpression(node)) return this.newExpression(p, v);
    if (T.isIdentifier(callee) && callee.text === 'require' && !p.scope.lookup('require')) {
      return this.requireCall(p);
    }
    if (p.worker) return;
    const args = node.arguments;
    const last = args[args.length - 1];
    const shape = {
      argCount: args.length,
      lastIsFunction: () => !!last && this.isFunctionArg(last, p),
    };
    const byName = this.extra && lookupExtraByName(calleeName(node) ?? '', this.extra);
    if (byName) this.push(p, { kind: 'api', hit: byName });
    else if (v?.k === 'fn') this.push(p, { kind: 'fn', fn: v.fn }, undefined, v.method);
    else if (v?.k === 'mod' && isRelative(v.module)) {
      if (followable(v.path)) this.push(p, { kind: 'import', spec: v.module, path: v.path });
    } else if (v?.k === 'mod') {
      const hit = lookupApi(v.module, v.path, shape, this.extra);
      if (hit) this.push(p, { kind: 'api', hit });
    } else if (!v) this.unresolved(p, callee);
    regexUse(this.ctx, p, callee);
    this.helperArguments(p);
  }

  private isFunctionArg(e: ts.Expression, p: PendingCall): boolean {
    const u = unwrap(e);
    if (T.isFunctionExpression(u) || T.isArrowFunction(u)) return true;
    if (T.isIdentifier(u) && /^(cb|callback|done|next|resolve)$/i.test(u.text)) return true;
    return this.ev.eval(u, p.scope)?.k === 'fn';
  }

  /** A `*Sync` method call on an object syntax could not resolve: for the type checker. */
  private unresolved(p: PendingCall, callee: ts.Expression): void {
    if (T.isPropertyAccessExpression(callee) && /Sync$/.test(callee.name.text)) {
      const args = (p.node as ts.CallExpression).arguments;
      const last = args[args.length - 1];
      (this.summary.candidates ??= []).push({
        ...this.site(p, { kind: 'fn', fn: -1 }),
        name: callee.name.text,
        fn: p.fn,
        pos: callee.name.getStart(this.w.sf),
        argCount: args.length,
        lastIsFunction: !!last && this.isFunctionArg(last, p),
      });
    }
  }

  private requireCall(p: PendingCall): void {
    const spec = stringOf(p.node.arguments?.[0]);
    if (spec === undefined || p.worker || !this.insideFunction(p.fn)) return;
    const hit: ApiHit = {
      rule: 'require-in-function',
      ...ruleDefaults['require-in-function'],
      api: `require('${spec}')`,
      why: 'require() reads and compiles the module synchronously the first time it runs',
      replacement: 'move the require to the top of the module, or use await import()',
    };
    this.push(p, { kind: 'api', hit });
  }

  /** A function body, not module top level (nor a callback run in place at top level). */
  private insideFunction(fn: number): boolean {
    for (let f = fn; f > 0; f = this.w.fns[f]!.parent) {
      const use = this.w.callbacks.get(f);
      if (!use || use.index >= 0) return true;
    }
    return false;
  }

  /** `new Worker(file)` marks `file` as worker code; other constructors are not followed. */
  private newExpression(p: PendingCall, v: Value | undefined): void {
    const ctor = unwrap(p.node.expression);
    const isWorker =
      (v?.k === 'mod' && v.module === 'worker_threads' && keyOf(v.path) === 'Worker') ||
      (T.isIdentifier(ctor) && ctor.text === 'Worker');
    const arg = p.node.arguments?.[0];
    if (!isWorker || !arg) return;
    const spec = workerSpec(arg, p.scope, this.ev);
    if (spec) this.summary.workerSpecs.push(spec);
  }

  /** `items.forEach(loadSync)`: a helper passed to a sync iterator is called right there. */
  private helperArguments(p: PendingCall): void {
    const node = p.node as ts.CallExpression;
    const name = calleeName(node);
    node.arguments.forEach((a, index) => {
      const u = unwrap(a);
      if (T.isFunctionExpression(u) || T.isArrowFunction(u)) return;
      const bound = T.isCallExpression(u) && helperName(u.expression) === 'bind';
      if (!T.isIdentifier(u) && !T.isPropertyAccessExpression(u) && !bound) return;
      const v = this.ev.eval(u, p.scope);
      const target = toTarget(v);
      if (target?.kind !== 'fn' && target?.kind !== 'import') return;
      const role = classifyCallback(node, index, this.w.sf, this.values.get(p));
      if (role !== 'inline') {
        if (target.kind === 'fn') this.w.fns[target.fn]!.eventLoop ??= role.event;
        else {
          this.summary.registrations.push({
            spec: target.spec,
            path: target.path,
            reason: role.event,
          });
        }
      } else if (name && syncIterators.has(name)) {
        const s = this.w.span(u);
        this.w.fns[p.fn]!.calls.push({ ...s, name: short(u.getText(this.w.sf)), target });
      }
    });
  }

  /** The name of a compiled async function: its wrapper's (`_load` → `load`). */
  private compiledAsyncName(parent: number): string {
    const name = this.w.fns[parent]?.name ?? '';
    return /callback$|^\(/.test(name) ? 'function' : name.replace(/^_/, '');
  }

  private classifyCallbacks(): void {
    const pendingOf = new Map<ts.Node, PendingCall>();
    for (const p of this.w.pending) pendingOf.set(p.node, p);
    for (const [fn, use] of this.w.callbacks) {
      const f = this.w.fns[fn]!;
      if (use.index >= 0 && (isAsyncHelper(use.call) || isRegeneratorMark(use.call))) {
        f.eventLoop = `async ${this.compiledAsyncName(f.parent)}`;
        continue;
      }
      const p = pendingOf.get(use.call);
      const params = this.w.fnNodes[fn]!.parameters;
      const role = classifyCallback(
        use.call,
        use.index,
        this.w.sf,
        p && this.values.get(p),
        params,
      );
      if (role !== 'inline') {
        f.eventLoop = role.event;
        continue;
      }
      f.inherits = true;
      const s = this.w.span(use.call.expression);
      const name =
        use.index < 0
          ? '(immediately invoked function)'
          : `${short(use.call.expression.getText(this.w.sf))} callback`;
      this.w.fns[f.parent]!.calls.push({ ...s, name, target: { kind: 'fn', fn }, inline: true });
    }
  }

  /** Plain class tables for the summary, with each base class as a target. */
  private classSummaries(): void {
    if (!this.w.classes.length) return;
    this.summary.classes = this.w.classes.map((info, i) => {
      const c = classSummary(info);
      const base = toTarget(this.ev.baseOf(i, false));
      if (base?.kind === 'class' || base?.kind === 'import') c.base = base;
      return c;
    });
  }

  private resolveExports(): void {
    const out = this.summary.exports;
    for (const e of this.w.exportsPending) {
      if (e.from) {
        out[e.name] = { kind: 'import', spec: e.from.spec, path: e.from.path };
        continue;
      }
      if (e.fn !== undefined || e.cls !== undefined) {
        out[e.name] =
          e.fn !== undefined ? { kind: 'fn', fn: e.fn } : { kind: 'class', cls: e.cls! };
        continue;
      }
      const v = e.expr && this.ev.eval(e.expr, e.scope);
      if (e.name === '=' && v?.k === 'obj') {
        for (const prop of v.node.properties) {
          const key = prop.name && T.isIdentifier(prop.name) ? prop.name.text : undefined;
          const t = key ? toTarget(this.ev.member(v, key)) : undefined;
          if (key && t) out[key] = t;
        }
      } else if (e.name === '=' && v?.k === 'mod' && isRelative(v.module) && v.path.length === 0) {
        this.summary.stars.push(v.module);
      } else {
        const t = toTarget(v);
        if (t) out[e.name] = t;
      }
    }
  }
}
