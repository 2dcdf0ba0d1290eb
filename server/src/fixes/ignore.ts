/**
 * Suppression quick fixes: `// loop-lens-ignore-next-line <rule>` above the flagged line and
 * `// loop-lens-ignore-file <rule>` at the top of the file (the engine honours both).
 */
import { ts } from 'ts-morph';
import type { SourceText } from './source';
import type { Fix } from './types';

export const IGNORE_LINE = 'loop-lens-ignore-next-line';
export const IGNORE_FILE = 'loop-lens-ignore-file';

/** "Ignore this line" for the finding starting at `offset`; none inside templates or JSX text. */
export function ignoreLineFix(src: SourceText, offset: number, rule: string): Fix | undefined {
  const line = src.lineTextAt(offset);
  if (insideMultilineToken(src, line.start)) return undefined;
  const indent = /^[ \t]*/.exec(line.text)![0];
  const prev = previousLine(src, line.start);
  const title = `Ignore ${rule} on this line`;
  const existing = prev && new RegExp(`^\\s*//\\s*${IGNORE_LINE}\\b(.*)$`).exec(prev.text);
  if (prev && existing) {
    // One comment lists several rules; a second comment line would shield only the first.
    const end = prev.start + prev.text.length;
    const rules = existing[1]!.trim();
    const edit = rules ? src.edit(end, end, `, ${rule}`) : undefined;
    return edit ? { title, kind: 'ignore', isPreferred: false, edits: [edit] } : undefined;
  }
  const edit = src.edit(line.start, line.start, `${indent}// ${IGNORE_LINE} ${rule}${eol(src)}`);
  return { title, kind: 'ignore', isPreferred: false, edits: [edit] };
}

/** "Ignore this rule in this file": a comment at the top (after a shebang), or one more rule on it. */
export function ignoreFileFix(src: SourceText, rule: string): Fix {
  const text = src.text;
  const title = `Ignore ${rule} in this file`;
  const existing = new RegExp(`^[ \\t]*//[ \\t]*${IGNORE_FILE}\\b([^\\r\\n]*)`, 'm').exec(text);
  if (existing && existing[1]!.trim() && !existing[1]!.includes('--')) {
    const end = existing.index + existing[0].length;
    return { title, kind: 'ignore', isPreferred: false, edits: [src.edit(end, end, `, ${rule}`)] };
  }
  const at = text.startsWith('#!')
    ? Math.min(text.indexOf('\n') + 1 || text.length, text.length)
    : 0;
  const prefix = at === text.length && at > 0 && !text.endsWith('\n') ? eol(src) : '';
  const edit = src.edit(at, at, `${prefix}// ${IGNORE_FILE} ${rule}${eol(src)}`);
  return { title, kind: 'ignore', isPreferred: false, edits: [edit] };
}

function eol(src: SourceText): string {
  return src.text.includes('\r\n') ? '\r\n' : '\n';
}

function previousLine(
  src: SourceText,
  lineStart: number,
): { start: number; text: string } | undefined {
  if (lineStart === 0) return undefined;
  return src.lineTextAt(lineStart - 1);
}

/** True when `offset` falls inside a template literal or JSX text spanning several lines. */
function insideMultilineToken(src: SourceText, offset: number): boolean {
  let inside = false;
  const visit = (node: ts.Node): void => {
    if (inside || offset <= node.getStart(src.sf) || offset >= node.getEnd()) return;
    if (
      ts.isTemplateLiteral(node) ||
      ts.isJsxText(node) ||
      ts.isJsxElement(node) ||
      ts.isJsxFragment(node) ||
      ts.isStringLiteral(node)
    ) {
      inside = true;
      return;
    }
    node.forEachChild(visit);
  };
  visit(src.sf);
  return inside;
}
