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
}

function scriptKind(file: string): ts.ScriptKind {
  if (/\.tsx$/i.test(file)) return T.ScriptKind.TSX;
  if (/\.[cm]?ts$/i.test(file)) return T.ScriptKind.TS;
  if (/\.jsx$/i.test(file)) return T.ScriptKind.JSX;
  return T.ScriptKind.JS;
}

/** Parses `text` as `file` and returns its summary; never throws on bad syntax. */
export function summarize(file: string, text: string, opts: SummarizeOptions = {}): FileSummary {
  const sf = T.createSourceFile(
    file,
    text,
    // JSDoc is never read here; skipping it halves parse time on JSDoc-typed code (webpack).
    { languageVersion: T.ScriptTarget.Latest, jsDocParsingMode: T.JSDocParsingMode.ParseNone },
    false,
    scriptKind(file),
  );
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
