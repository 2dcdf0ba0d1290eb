/**
 * The parts of a stall's blame that say what to change besides the line: the operation that
 * blocked (operation.ts) and the installed packages the stack ran through (packages.ts).
 */
import type { StackFrame, StallPackage } from '../shared/protocol/runtime';
import { codeLinesOf } from './codeLines';
import { operationOf, type OpFrame } from './operation';
import { packageRootOf, type PackageResolver } from './packages';
import { isLocalFile } from './sourceMaps';

/** Source texts as the recorder reads them (cached by the caller). */
export interface TextSource {
  text(file: string): Promise<string | undefined>;
}

/** Frames whose source line the operation's rules may read: the leaf and a few callers. */
const LINE_FRAMES = 12;
/** Frames whose source line the package rules may read. */
const MAX_FRAMES = 64;

async function linesOf(texts: TextSource, file: string): Promise<string[] | undefined> {
  const text = await texts.text(file);
  return text === undefined ? undefined : codeLinesOf(text).lines;
}

/**
 * Operation and package of a mapped stack (innermost first). `raw` has the frames' URLs as V8
 * gave them (`node:fs`, '' for a binding); `blameIndex` is the blamed frame, which is the
 * user's code unless it lies in `node_modules`.
 */
export async function describeStack(
  raw: readonly OpFrame[],
  stack: readonly StackFrame[],
  blameIndex: number | undefined,
  packages: PackageResolver,
  texts: TextSource,
): Promise<{ operation?: string; operationNamed?: boolean; package?: StallPackage }> {
  if (stack.length === 0) return {};
  const files = stack.map((f) => f.file);
  const userIndex =
    blameIndex !== undefined && !packageRootOf(stack[blameIndex].file) ? blameIndex : undefined;
  // Source lines: the operation's rules read the leaf's and a few callers'; the package rules
  // read the call lines between the packages, up to the user's frame.
  const lineTexts: Array<string | undefined> = [];
  const upTo = Math.min(stack.length, Math.max(LINE_FRAMES, (userIndex ?? stack.length) + 1));
  for (let i = 0; i < Math.min(upTo, MAX_FRAMES); i++) {
    const f = stack[i];
    const lines = isLocalFile(f.file) && f.line > 0 ? await linesOf(texts, f.file) : undefined;
    lineTexts.push(lines?.[f.line - 1]);
  }
  const pkg = await packages.chainOf(files, userIndex, {
    names: stack.map((f) => f.functionName),
    lines: lineTexts,
  });
  // The leaf's package, past a small built-in it called (`trim`: no file).
  const k = Math.max(
    0,
    files.findIndex((f) => isLocalFile(f) || f.startsWith('node:')),
  );
  const entry = packageRootOf(files[k])
    ? await packages.entryOf(
        files.slice(k),
        stack.slice(k).map((f) => (f.functionName === '(anonymous)' ? '' : f.functionName)),
      )
    : undefined;
  const operation = operationOf(
    raw.map((f) => ({ functionName: f.functionName, url: f.url })),
    (i) => lineTexts[i],
    () => entry,
  );
  return {
    ...(operation ? { operation: operation.name, operationNamed: operation.named } : {}),
    ...(pkg ? { package: pkg } : {}),
  };
}
