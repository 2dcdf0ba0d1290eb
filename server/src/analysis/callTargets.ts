/**
 * What a resolved value is as a call target (a local function, a class or an instance, an export
 * of a relative module, a catalog API), and whether the linker can follow an export path.
 */
import { lookupApi } from './lookup';
import type { CallTarget } from './summaryTypes';
import { isRelative } from './syntax';
import type { Value } from './values';

/**
 * Whether the linker can follow an export path: at most one name after an instance (`X.()` then a
 * method); `svc.repo.m()` (a field of an instance from another file) is not followed, so it is not
 * kept (such calls are frequent in classes that extend an imported base).
 */
export function followable(path: readonly string[]): boolean {
  const i = path.lastIndexOf('()');
  return (
    i < 0 || path.length - i <= 2 || (path.length - i === 3 && /^(call|apply)$/.test(path[i + 2]!))
  );
}

export function toTarget(v: Value | undefined): CallTarget | undefined {
  if (v?.k === 'fn') return { kind: 'fn', fn: v.fn };
  if (v?.k === 'cls') return { kind: 'class', cls: v.cls };
  if (v?.k === 'inst') return { kind: 'inst', cls: v.cls };
  if (v?.k === 'mod' && isRelative(v.module)) {
    return { kind: 'import', spec: v.module, path: v.path };
  }
  if (v?.k === 'mod') {
    const hit = lookupApi(v.module, v.path, { argCount: 0, lastIsFunction: () => false });
    if (hit) return { kind: 'api', hit };
  }
  return undefined;
}
