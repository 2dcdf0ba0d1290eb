/**
 * Quick fixes (`quickfix` code actions) for Loop Lens diagnostics: the rewrite to the
 * non-blocking API where there is a faithful one, "Run in a worker thread" for self-contained
 * CPU work (when the client can create files), then "ignore this line" and "ignore this rule in
 * this file". The edits come from the pure functions in `fixes/`.
 */
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../analysis/types';
import { computeFixes } from '../fixes';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from './diagnostics';
import { findingAt } from './hover';

/** Builds the "Run in a worker thread" action of a finding (undefined when not offered). */
export type OffloadActionFor = (
  finding: Finding,
  diagnostic?: Diagnostic,
) => CodeAction | undefined;

/** The code actions for a request on `doc` (whose path is `file`). */
export function codeActionsFor(
  doc: TextDocument,
  file: string,
  params: CodeActionParams,
  findings: readonly Finding[],
  offload?: OffloadActionFor,
): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((k) => CodeActionKind.QuickFix.startsWith(k))) return [];
  const ours = params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
  const targets: { finding: Finding; diagnostic?: Diagnostic }[] = [];
  for (const d of ours) {
    const finding = findingOf(d, findings);
    if (finding) targets.push({ finding, diagnostic: d });
  }
  if (targets.length === 0) {
    // Invoked without diagnostics in the context (e.g. a keybinding on the call): use ours.
    const f = findingAt(findings, params.range.start);
    if (f) targets.push({ finding: f });
  }
  const text = doc.getText();
  const actions: CodeAction[] = [];
  for (const { finding, diagnostic } of targets) {
    const moved = offload?.(finding, diagnostic);
    if (moved) actions.push(moved);
    for (const fix of computeFixes({ text, fileName: file, finding })) {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        ...(diagnostic ? { diagnostics: [diagnostic] } : {}),
        ...(fix.isPreferred ? { isPreferred: true } : {}),
        edit: { changes: { [doc.uri]: fix.edits } },
      });
    }
  }
  return actions;
}

/** The finding behind a diagnostic: its `data`, else the one at its range with its rule. */
function findingOf(d: Diagnostic, findings: readonly Finding[]): Finding | undefined {
  const data = d.data as Partial<DiagnosticData> | undefined;
  if (isFinding(data?.finding)) {
    // The client moves the range with later edits; the finding's own position may be stale.
    const { start, end } = d.range;
    return {
      ...data.finding,
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
    };
  }
  return findings.find(
    (f) =>
      f.rule === d.code &&
      f.line === d.range.start.line + 1 &&
      f.column === d.range.start.character + 1,
  );
}

function isFinding(v: unknown): v is Finding {
  const f = v as Finding | undefined;
  return (
    typeof f === 'object' &&
    f !== null &&
    typeof f.line === 'number' &&
    typeof f.column === 'number' &&
    typeof f.rule === 'string' &&
    Array.isArray(f.chain)
  );
}
