/**
 * One file's cache entry: its summary, or a note saying why there is none. Made on the event
 * loop for an edited buffer, or in a worker thread for files a workspace scan reads from disk
 * (a summary is plain data, so it crosses threads as is).
 */
import { summarize, type SummarizeOptions } from './summarize';
import type { FileSummary } from './summaryTypes';
import type { TypeResolver } from './typeCheck';
import type { FileNote } from './types';

export interface FileEntry {
  summary?: FileSummary;
  note?: FileNote;
}

export interface EntryOptions extends SummarizeOptions {
  /** The type checker for `*Sync` calls syntax cannot place (none: syntax only). */
  types?: () => TypeResolver;
}

/** Summarises a source read with `readSource`/`checkText`; an engine bug becomes a note. */
export function summarizeEntry(
  file: string,
  src: { text: string } | { note: FileNote },
  opts: EntryOptions,
): FileEntry {
  if ('note' in src) return { note: src.note };
  try {
    const summary = summarize(file, src.text, opts);
    if (opts.types && summary.candidates?.length) opts.types().settle(summary, src.text);
    return { summary };
  } catch (e) {
    // An engine bug on one file must not lose the others.
    const reason = `internal error: ${e instanceof Error ? e.message : String(e)}`;
    return { note: { file, kind: 'error', reason } };
  }
}
