/**
 * Matches a resolved module export path against the catalog (and a team's extra `blocking`
 * entries from the config).
 */
import { catalog, type CatalogEntry } from './catalog';
import { threadpoolApis } from './threadpoolApis';
import { ruleDefaults, type RuleId } from './rules';
import type { ApiHit } from './summaryTypes';
import type { ExtraBlockingApi } from './types';
import { PROMISIFIED } from './values';

interface ModuleIndex {
  exact: Map<string, CatalogEntry>;
  anySync: CatalogEntry[];
}

const index = new Map<string, ModuleIndex>();
for (const entry of catalog) {
  for (const m of entry.modules) {
    let idx = index.get(m);
    if (!idx) index.set(m, (idx = { exact: new Map(), anySync: [] }));
    for (const n of entry.names) {
      if (n === '*Sync') idx.anySync.push(entry);
      else idx.exact.set(n, entry);
    }
  }
}

/** How the call looks, for APIs that block only without a callback. */
export interface CallShape {
  argCount: number;
  /** Asked only for APIs that block without a callback (evaluating it costs). */
  lastIsFunction: () => boolean;
}

/** Drops a leading `default` (ESM default import of a CommonJS package is the namespace). */
export function keyOf(path: readonly string[]): string {
  let out = '';
  // `default` is the namespace of a CommonJS or built-in module wherever it appears
  // (`import fsp from 'fs/promises'` gives fs → promises → default).
  for (const seg of path) {
    if (seg === 'default') continue;
    out += seg === '()' ? seg : out ? `.${seg}` : seg;
  }
  return out;
}

/** The catalog hit for calling `module` export `path`, if it blocks. */
export function lookupApi(
  module: string,
  path: readonly string[],
  shape: CallShape,
  extra?: readonly ExtraBlockingApi[],
): ApiHit | undefined {
  const key = keyOf(path);
  const idx = index.get(module);
  let entry = idx?.exact.get(key);
  if (!entry && idx && /^[A-Za-z0-9_$]+Sync$/.test(key)) entry = idx.anySync[0];
  if (entry) {
    if (entry.onlyWithoutCallback && hasCallback(entry, key, shape)) return undefined;
    return hitOf(entry, module, key);
  }
  return extra ? lookupExtra(module, path, extra) : undefined;
}

function hasCallback(entry: CatalogEntry, key: string, shape: CallShape): boolean {
  const i = entry.callbackIndex?.[key];
  return (i !== undefined && shape.argCount > i) || shape.lastIsFunction();
}

function hitOf(entry: CatalogEntry, module: string, key: string): ApiHit {
  const rule = ruleDefaults[entry.rule];
  const shown = key.startsWith('()') ? key.slice(2) : key;
  const last = key.split('.').pop() ?? key;
  const base = last.replace(/Sync$/, '');
  const api =
    entry.labels?.[key] ??
    entry.label.replace('{module}', module).replace('{name}', shown).replace(/\.$/, '');
  const fill = (s: string) => s.replaceAll('{base}', base).replaceAll('{name}', last);
  return {
    rule: entry.rule,
    category: entry.category ?? rule.category,
    severity: entry.severity ?? rule.severity,
    api,
    why: fill(entry.why),
    replacement: fill(entry.replacements?.[key] ?? entry.replacement),
  };
}

/** A config `blocking` entry with a module: matches `name`, or `X.prototype.m` on instances. */
function lookupExtra(
  module: string,
  path: readonly string[],
  extra: readonly ExtraBlockingApi[],
): ApiHit | undefined {
  const key = keyOf(path);
  for (const e of extra) {
    if (!e.module || moduleName(e.module) !== module) continue;
    const proto = /^(?:default\.)?(.+)\.prototype\.([^.]+)$/.exec(e.name);
    const want = e.name.replace(/^default\./, '');
    const ok = proto ? path.includes('()') && path[path.length - 1] === proto[2] : key === want;
    if (ok) return extraHit(e, proto ? `${proto[1]}#${proto[2]}` : e.name);
  }
  return undefined;
}

/** A config `blocking` entry without a module matches by the callee's last name. */
export function lookupExtraByName(
  name: string,
  extra: readonly ExtraBlockingApi[] | undefined,
): ApiHit | undefined {
  for (const e of extra ?? []) {
    if (e.module) continue;
    const last = e.name.split('.').pop();
    if (last === name) return extraHit(e, e.name);
  }
  return undefined;
}

function extraHit(e: ExtraBlockingApi, api: string): ApiHit {
  const rule: RuleId = 'custom-blocking';
  return {
    rule,
    category: e.category ?? ruleDefaults[rule].category,
    severity: ruleDefaults[rule].severity,
    api: e.module ? `${e.module} ${api}` : api,
    why: e.why ?? 'your configuration declares it blocking',
    replacement: e.replacement ?? 'its asynchronous counterpart',
  };
}

function moduleName(spec: string): string {
  return spec.startsWith('node:') ? spec.slice(5) : spec;
}

/** Whether calling `module` export `path` queues work on the libuv threadpool. */
export function isThreadpoolApi(module: string, path: readonly string[]): boolean {
  const names = Object.hasOwn(threadpoolApis, module) ? threadpoolApis[module] : undefined;
  if (path[path.length - 1] === PROMISIFIED) path = path.slice(0, -1);
  if (!names || path.includes('()')) return false;
  const key = keyOf(path);
  return names.some((n) => (n.endsWith('.*') ? key.startsWith(n.slice(0, -1)) : n === key));
}
