/**
 * Matching static findings (issue #3) with the lines a runtime recording blamed (issue #4), so a
 * finding that was seen blocking is marked "confirmed at run time" with the numbers. Pure: no
 * `vscode` import; `src/ui/confirmedFindings.ts` adapts diagnostics to these shapes.
 */

/** The words every confirmed finding's message carries (tests and users search for them). */
export const CONFIRMED_MARK = 'confirmed at run time';

/** What a recording knows about one blamed line (`LineHeat` of src/ui/lineHeat.ts fits). */
export interface BlamedLine {
  /** 1-based, as the runtime reports it. */
  line: number;
  totalMs: number;
  count: number;
  maxMs: number;
}

/** Where a static finding sits. Lines are 0-based, as in LSP and VS Code ranges. */
export interface FindingSite {
  /** Absolute path of the file the finding is reported in. */
  file: string;
  /** 0-based first and last line of the finding's range. */
  startLine: number;
  endLine: number;
  /** The last step of the finding's call chain (its related information), 0-based line. */
  chainEnd?: { file: string; line: number };
}

/** The blamed lines of one absolute path (the heat of the current recording). */
export type BlameLookup = (file: string) => readonly BlamedLine[];

/**
 * The blamed line that confirms a finding: one inside the finding's own range (the blocking call
 * itself, or a call that ran into it), else the line its call chain ends at (the blocking call in
 * a helper, which is where the runtime blames the time). Undefined when nothing blocked there.
 */
export function confirmingLine(site: FindingSite, blamed: BlameLookup): BlamedLine | undefined {
  const own = blamed(site.file).find(
    (b) => b.line - 1 >= site.startLine && b.line - 1 <= site.endLine,
  );
  if (own) return own;
  const end = site.chainEnd;
  if (!end) return undefined;
  return blamed(end.file).find((b) => b.line - 1 === end.line);
}

/** "1.2 s" or "340 ms" (the same wording as the CodeLens and hover of the heat). */
export function formatDuration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** The suffix of a confirmed finding's message: ` — confirmed at run time: blocked …`. */
export function confirmedSuffix(b: BlamedLine): string {
  const stalls = b.count === 1 ? '1 stall' : `${b.count} stalls`;
  return (
    ` — ${CONFIRMED_MARK}: blocked ${formatDuration(b.totalMs)} in ${stalls}` +
    ` (max ${formatDuration(b.maxMs)})`
  );
}

/** The finding's message with the runtime numbers appended, or unchanged when not confirmed. */
export function confirmedMessage(message: string, site: FindingSite, blamed: BlameLookup): string {
  const b = confirmingLine(site, blamed);
  return b ? message + confirmedSuffix(b) : message;
}
