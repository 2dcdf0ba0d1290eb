/**
 * Marks static findings that the runtime recording saw blocking: the language client's
 * diagnostics pass through {@link ConfirmedFindings.handleDiagnostics}, which keeps the server's
 * last diagnostics per URI and appends the runtime numbers to the confirmed ones. When the heat
 * changes (a recording opened, stalls streamed in, the recording cleared) they are re-published
 * from the kept originals, so a cleared recording leaves the server's messages as they were.
 */
import type * as vscode from 'vscode';
import type { HandleDiagnosticsSignature, LanguageClient } from 'vscode-languageclient/node';
import { State } from 'vscode-languageclient/node';
import { Disposable } from '../common/disposable';
import { confirmedMessage, type FindingSite } from '../common/confirm';
import type { RuntimeHeat } from './lineHeat';

/** `source` of the diagnostics this marks (the server's DIAGNOSTIC_SOURCE). */
const source = 'loop-lens';

/** Keeps the server's diagnostics and re-publishes them marked with the current heat. */
export class ConfirmedFindings extends Disposable {
  /** The server's last diagnostics per URI, unmarked. */
  private readonly last = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
  private client: LanguageClient | undefined;

  constructor(private readonly heat: RuntimeHeat) {
    super();
    this._register(heat.onDidChange(() => this.republish()));
  }

  /** The `middleware.handleDiagnostics` of the client options. */
  readonly handleDiagnostics = (
    uri: vscode.Uri,
    diagnostics: vscode.Diagnostic[],
    next: HandleDiagnosticsSignature,
  ): void => {
    if (diagnostics.length) this.last.set(uri.toString(), { uri, diagnostics });
    else this.last.delete(uri.toString());
    next(uri, this.mark(uri, diagnostics));
  };

  /** Publishes through `client`'s diagnostic collection from now on. */
  attach(client: LanguageClient): void {
    this.client = client;
    // A stopped or restarting server's diagnostics are gone; it publishes afresh on restart.
    this._register(
      client.onDidChangeState((e) => {
        if (e.newState !== State.Running) this.last.clear();
      }),
    );
  }

  private republish(): void {
    const collection = this.client?.diagnostics;
    if (!collection) return;
    for (const { uri, diagnostics } of this.last.values()) {
      collection.set(uri, this.mark(uri, diagnostics));
    }
  }

  /** The diagnostics with the confirmed ones replaced by marked copies (the originals stay). */
  private mark(uri: vscode.Uri, diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
    if (uri.scheme !== 'file') return diagnostics;
    const blamed = (file: string) => this.heat.forFile(file);
    return diagnostics.map((d) => {
      if (d.source !== source) return d;
      const message = confirmedMessage(d.message, siteOf(uri, d), blamed);
      return message === d.message ? d : withMessage(d, message);
    });
  }
}

/** Where a diagnostic sits, with the last file step of its call chain (related information). */
function siteOf(uri: vscode.Uri, d: vscode.Diagnostic): FindingSite {
  const end = d.relatedInformation?.at(-1)?.location;
  return {
    file: uri.fsPath,
    startLine: d.range.start.line,
    endLine: d.range.end.line,
    ...(end?.uri.scheme === 'file'
      ? { chainEnd: { file: end.uri.fsPath, line: end.range.start.line } }
      : {}),
  };
}

/**
 * A copy with another message. It keeps the prototype and every field, including the client's
 * `data` (the finding), so quick fixes still get the finding from the marked diagnostic.
 */
function withMessage(d: vscode.Diagnostic, message: string): vscode.Diagnostic {
  const copy = Object.assign(Object.create(Object.getPrototypeOf(d) as object) as object, d);
  return Object.assign(copy as vscode.Diagnostic, { message });
}
