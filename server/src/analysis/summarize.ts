/**
 * Summarises one file: parse with the raw TypeScript API, walk once, resolve, apply suppression
 * comments. Pure: text in, FileSummary out.
 */
import type { ts } from 'ts-morph';
import { T } from './tsApi';
import { Finalizer } from './finalize';
import { addPackageCalls } from './packageCalls';
import { scanSuppressions } from './patterns';
import type { FileSummary } from './summaryTypes';
import type { ExtraBlockingApi } from './types';
import { Walker } from './walker';

export interface SummarizeOptions {
  /** Extra blocking functions from the config (`blocking`). */
  extra?: readonly ExtraBlockingApi[];
  /**
   * The tree of this file's previous text (an open document being edited): only the changed
   * range is parsed again (`ts.updateSourceFile`). The old tree must not be used afterwards.
   */
  previous?: ts.SourceFile;
  /** Receives the new tree, to pass as `previous` for the next text. */
  keepTree?: (sf: ts.SourceFile) => void;
}

function scriptKind(file: string): ts.ScriptKind {
  if (/\.tsx$/i.test(file)) return T.ScriptKind.TSX;
  if (/\.[cm]?ts$/i.test(file)) return T.ScriptKind.TS;
  if (/\.jsx$/i.test(file)) return T.ScriptKind.JSX;
  return T.ScriptKind.JS;
}

/** Parses `text` as `file` and returns its summary; never throws on bad syntax. */
export function summarize(file: string, text: string, opts: SummarizeOptions = {}): FileSummary {
  const sf = parse(file, text, opts.previous);
  opts.keepTree?.(sf);
  const walker = new Walker(sf);
  walker.run();
  const summary = new Finalizer(walker, opts.extra).run();
  addPackageCalls(walker, summary);
  const sup = scanSuppressions(text, sf);
  if (sup.file) summary.fileSuppressed = sup.file;
  if (sup.lines.size) {
    for (const f of summary.fns) {
      for (const c of f.calls) {
        const rules = sup.lines.get(c.line);
        if (rules) c.suppressed = rules;
      }
    }
  }
  const diags = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] })
    .parseDiagnostics;
  const first = diags?.[0];
  if (first) {
    const line = sf.getLineAndCharacterOfPosition(first.start).line + 1;
    const msg = T.flattenDiagnosticMessageText(first.messageText, ' ');
    summary.notes.push({
      file,
      kind: 'partial',
      reason: `syntax error at line ${line}: ${msg} (analysed as far as it parses)`,
    });
  }
  return summary;
}

/** A tree of `text`: re-parsing only what changed since `previous` when there is one. */
function parse(file: string, text: string, previous: ts.SourceFile | undefined): ts.SourceFile {
  if (previous && previous.fileName === file) {
    // The incremental parser keeps the tree's options (JSDoc not parsed, the script kind).
    return T.updateSourceFile(previous, text, changeRange(previous.text, text));
  }
  return T.createSourceFile(
    file,
    text,
    // JSDoc is never read here; skipping it halves parse time on JSDoc-typed code (webpack).
    { languageVersion: T.ScriptTarget.Latest, jsDocParsingMode: T.JSDocParsingMode.ParseNone },
    false,
    scriptKind(file),
  );
}

/**
 * The span of `before` that `after` replaces: everything between the common prefix and the
 * common suffix. Works for any edit, whatever form the client sent it in (ranges or full text).
 */
export function changeRange(before: string, after: string): ts.TextChangeRange {
  const min = Math.min(before.length, after.length);
  let start = 0;
  while (start < min && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (
    oldEnd > start &&
    newEnd > start &&
    before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)
  ) {
    oldEnd--;
    newEnd--;
  }
  return T.createTextChangeRange(T.createTextSpan(start, oldEnd - start), newEnd - start);
}
