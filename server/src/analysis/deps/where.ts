/**
 * How findings name code inside installed packages: `cfg-loader/lib/index.js` instead of a bare
 * file name, and advice that fits code the project cannot edit.
 */
import * as path from 'node:path';
import type { ApiHit } from '../summaryTypes';
import type { ChainStep } from '../types';

const NM = `${path.sep}node_modules${path.sep}`;

/** `cfg-loader/lib/index.js` for a file inside node_modules (the innermost one), else undefined. */
export function packagePath(file: string): string | undefined {
  const i = file.lastIndexOf(NM);
  return i < 0
    ? undefined
    : file
        .slice(i + NM.length)
        .split(path.sep)
        .join('/');
}

const packageOfFile = new Map<string, string | undefined>();

/** The package name of a file inside node_modules (`@scope/name` or `name`), else undefined. */
export function packageOf(file: string): string | undefined {
  if (packageOfFile.has(file)) return packageOfFile.get(file);
  const p = packagePath(file);
  const parts = p?.split('/');
  const name = !parts ? undefined : p!.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  // Asked for every finding after every edit: remembered (one entry per file seen in a chain).
  packageOfFile.set(file, name);
  return name;
}

/**
 * The message of a finding whose chain leaves the project (`file`) for an installed package, or
 * undefined when the chain stays in the project.
 */
export function dependencyMessage(
  file: string,
  callee: string,
  ctx: string,
  hit: ApiHit,
  steps: readonly ChainStep[],
): string | undefined {
  if (packageOf(file) !== undefined) return undefined;
  const entered = steps.find((s) => packageOf(s.file) !== undefined);
  if (!entered) return undefined;
  const pkg = packageOf(entered.file)!;
  const last = steps[steps.length - 1]!;
  const via = steps.map((s) => s.name).join(' → ');
  const where = `${packagePath(last.file) ?? path.basename(last.file)}:${last.line}`;
  return (
    `${callee}() blocks the event loop in ${ctx}: package ${pkg} reaches ${hit.api} (${where}) via ${via}. ` +
    `${hit.why.charAt(0).toUpperCase()}${hit.why.slice(1)}. Call it outside the event-loop path ` +
    `(once at startup, or in a worker thread), or use an asynchronous alternative to ${callee}.`
  );
}
