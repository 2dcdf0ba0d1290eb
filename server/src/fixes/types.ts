/**
 * Plain data of the quick-fix rewrites: what goes in (source text + one finding) and what comes
 * out (titled text edits). No LSP connection, no `vscode`: the code-action handler maps these
 * onto `CodeAction`s, and unit tests apply them to text directly.
 */
import type { Finding } from '../analysis/types';

/** A 0-based position, identical in shape to LSP's `Position` (UTF-16 columns). */
export interface FixPosition {
  line: number;
  character: number;
}

/** A text replacement, identical in shape to LSP's `TextEdit`. */
export interface FixEdit {
  range: { start: FixPosition; end: FixPosition };
  newText: string;
}

/** One quick fix for one finding. Edits never overlap and refer to the original text. */
export interface Fix {
  title: string;
  /** `rewrite` changes the code to the non-blocking form; `ignore` adds a suppression comment. */
  kind: 'rewrite' | 'ignore';
  /** True only when the rewrite keeps the program's meaning; an editor applies it on "auto fix". */
  isPreferred: boolean;
  edits: FixEdit[];
}

/** The part of a finding the rewrites need (a full {@link Finding} fits). */
export type FixFinding = Pick<
  Finding,
  'line' | 'column' | 'endLine' | 'endColumn' | 'rule' | 'api' | 'chain'
>;

/** Input of {@link computeFixes}. */
export interface FixInput {
  /** The whole text of the file as the editor has it. */
  text: string;
  /** Absolute path or name of the file; its extension decides the script kind and module style. */
  fileName: string;
  finding: FixFinding;
}
