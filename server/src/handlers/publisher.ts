/**
 * Sends `textDocument/publishDiagnostics` only when a file's diagnostics really changed, so an
 * edit that re-links the whole project publishes the handful of files whose findings moved.
 */
import type { Connection, Diagnostic } from 'vscode-languageserver/node';

export class DiagnosticsPublisher {
  /** URI → signature of what the client shows now (absent = nothing shown). */
  private readonly shown = new Map<string, string>();

  constructor(private readonly connection: Connection) {}

  /** Publishes when different from what the client has; returns whether a message went out. */
  publish(uri: string, diagnostics: Diagnostic[], version?: number): boolean {
    const sig = diagnostics.length ? signature(diagnostics) : '';
    if ((this.shown.get(uri) ?? '') === sig) return false;
    if (sig) this.shown.set(uri, sig);
    else this.shown.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics, version });
    return true;
  }

  /** Clears a file's diagnostics (no-op when it has none). */
  clear(uri: string): void {
    this.publish(uri, []);
  }

  /** URIs that currently show diagnostics. */
  uris(): string[] {
    return [...this.shown.keys()];
  }
}

/** What a person sees of a diagnostic: the chain data only matters through its message/range. */
function signature(diagnostics: Diagnostic[]): string {
  return JSON.stringify(
    diagnostics.map((d) => [
      d.range.start.line,
      d.range.start.character,
      d.range.end.line,
      d.range.end.character,
      d.severity,
      d.code,
      d.message,
      d.relatedInformation?.map((r) => [r.location.uri, r.location.range.start.line, r.message]),
    ]),
  );
}
