/**
 * `--format text`: findings grouped by file, in the layout of ESLint's default ("stylish")
 * formatter, with the call chain of indirect findings indented under them, then notes about
 * skipped or partial files, then a summary line.
 */
import { relative, isAbsolute } from 'node:path';
import type {
  AnalysisResult,
  FileNote,
  Finding,
  Severity,
} from '../../../server/src/analysis/types';

/** How to print: `color` only when stdout is a terminal and NO_COLOR is unset. */
export interface TextOptions {
  color: boolean;
  /** Paths under this folder print relative to it (shorter, still clickable in terminals). */
  cwd: string;
}

const ansi = {
  red: [31, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  green: [32, 39],
  dim: [2, 22],
  bold: [1, 22],
  underline: [4, 24],
} as const;
type Style = keyof typeof ansi;

/** Formats a result for people. Ends with a newline. */
export function formatText(result: AnalysisResult, options: TextOptions): string {
  const paint = (style: Style, s: string): string =>
    options.color ? `\u001b[${ansi[style][0]}m${s}\u001b[${ansi[style][1]}m` : s;
  const show = (file: string): string => displayPath(file, options.cwd);
  const out: string[] = [];
  for (const [file, findings] of groupByFile(result.findings)) {
    out.push('', paint('underline', show(file)));
    // A loop, not Math.max(...spread): ~130,000 findings as arguments overflow the stack.
    let posWidth = 0;
    let sevWidth = 0;
    for (const f of findings) {
      posWidth = Math.max(posWidth, `${f.line}:${f.column}`.length);
      sevWidth = Math.max(sevWidth, f.severity.length);
    }
    for (const f of findings) {
      const pos = `${f.line}:${f.column}`.padEnd(posWidth);
      const sev = paint(severityStyle(f.severity), f.severity.padEnd(sevWidth));
      out.push(`  ${paint('dim', pos)}  ${sev}  ${f.message}  ${paint('dim', f.rule)}`);
      if (f.chain.length > 0) {
        const indent = ' '.repeat(2 + posWidth + 2);
        const steps = f.chain.map((s) => `${s.name} (${show(s.file)}:${s.line})`);
        out.push(paint('dim', `${indent}via ${steps.join(' → ')}`));
      }
    }
  }
  if (result.notes.length > 0) out.push('', ...formatNotes(result.notes, show, paint));
  out.push('', summary(result, paint), '');
  return out.join('\n');
}

function formatNotes(
  notes: FileNote[],
  show: (f: string) => string,
  paint: (style: Style, s: string) => string,
): string[] {
  const lines = [paint('bold', 'Notes:')];
  for (const n of notes) {
    lines.push(`  ${paint('dim', n.kind.padEnd(7))}  ${show(n.file)}: ${n.reason}`);
  }
  return lines;
}

function summary(result: AnalysisResult, paint: (style: Style, s: string) => string): string {
  const count = (s: Severity): number => result.findings.filter((f) => f.severity === s).length;
  const total = result.findings.length;
  if (total === 0) {
    const files = plural(result.filesAnalyzed, 'file');
    return paint('green', `✔ No blocking calls found (${files} analysed${followed(result)}).`);
  }
  const [e, w, i] = [count('error'), count('warning'), count('info')];
  const text = `✖ ${plural(total, 'problem')} (${plural(e, 'error')}, ${plural(w, 'warning')}, ${plural(i, 'info')})`;
  return paint('bold', paint(e > 0 ? 'red' : w > 0 ? 'yellow' : 'cyan', text));
}

/** Findings by file, files in name order, findings in position order. */
function groupByFile(findings: Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  const sorted = [...findings].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
  for (const f of sorted) {
    const list = groups.get(f.file);
    if (list) list.push(f);
    else groups.set(f.file, [f]);
  }
  return groups;
}

/** `, and 40 files of 6 installed packages` when calls were followed into node_modules. */
function followed(result: AnalysisResult): string {
  const d = result.dependencies;
  if (!d?.files) return '';
  return `, and ${plural(d.files, 'file')} of ${plural(d.packages, 'installed package')}`;
}

function severityStyle(s: Severity): Style {
  return s === 'error' ? 'red' : s === 'warning' ? 'yellow' : 'cyan';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `file` relative to `cwd` when it lies under it, else unchanged (absolute). */
export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
