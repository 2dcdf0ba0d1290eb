/**
 * Quick fixes as pure functions: source text + one finding → titled text edits. The rewrite to
 * the non-blocking API comes first (when there is a faithful one), then the two suppressions.
 */
import { ignoreFileFix, ignoreLineFix } from './ignore';
import { rewriteFixes } from './rewrite';
import { SourceText } from './source';
import type { Fix, FixInput } from './types';

export type { Fix, FixEdit, FixFinding, FixInput, FixPosition } from './types';

/** Every fix for one finding, rewrites first. Never throws on odd text: returns fewer fixes. */
export function computeFixes(input: FixInput): Fix[] {
  const src = new SourceText(input.text, input.fileName);
  const { finding } = input;
  const offset = src.offsetOf(finding.line, finding.column);
  const fixes: Fix[] = [];
  // Only a direct call can be rewritten; an indirect finding points at the user's own helper.
  if (finding.chain.length === 0) {
    const end = src.offsetOf(finding.endLine, finding.endColumn);
    fixes.push(...rewriteFixes(src, offset, end, finding.api));
  }
  const line = ignoreLineFix(src, offset, finding.rule);
  if (line) fixes.push(line);
  fixes.push(ignoreFileFix(src, finding.rule));
  return fixes;
}

/** Applies non-overlapping edits to a text (for tests and for previews). */
export function applyEdits(text: string, edits: Fix['edits']): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: { line: number; character: number }): number =>
    Math.min((starts[p.line] ?? text.length) + p.character, text.length);
  const abs = edits
    .map((e) => ({ start: off(e.range.start), end: off(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of abs) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
