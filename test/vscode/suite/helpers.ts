/** Shared helpers of the extension-host suites (they run inside VS Code, `vscode` is real). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor as waitForFact } from '../../waitFor';

/** The extension id from package.json (`publisher.name`). */
export const extensionId = 'loop-lens.loop-lens';

/** The fixture workspace folder (test/fixtures/workspace, copied by the launcher). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the fixture workspace is open');
  return folder.uri;
}

/** URI of a file of the fixture workspace, e.g. `src/handler.ts`. */
export function fixtureUri(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
}

/** Opens a fixture file in an editor (this is what activates the extension: onLanguage). */
export async function openFixture(relative: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(relative));
  return vscode.window.showTextDocument(doc);
}

/** Waits on a fact (test/waitFor.ts), with a bound fit for a workbench: 60 s unless given. */
export function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeout = 60_000,
): Promise<T> {
  return waitForFact(probe, what, timeout);
}

/** Loop Lens diagnostics of a document (source `loop-lens`). */
export function loopLensDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'loop-lens');
}

/**
 * Waits for the diagnostics of `uri` to change to a state `accept` likes: an event when it comes,
 * or the current state when it already matches.
 */
export async function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diags: vscode.Diagnostic[]) => boolean,
  what: string,
  timeout = 60_000,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    () => {
      const d = loopLensDiagnostics(uri);
      return accept(d) ? d : undefined;
    },
    what,
    timeout,
  );
}

/** The rule id of a diagnostic (`code` may be a string or `{ value, target }`). */
export function ruleOf(d: vscode.Diagnostic): string | undefined {
  const code = d.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}
