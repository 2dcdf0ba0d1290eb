/**
 * Diagnostics and quick fixes of the language server, seen through the real VS Code API
 * (test/fixtures/workspace: src/handler.ts has an async request handler that calls
 * readFileSync directly and renderPage, a sync helper in src/templates.ts that reads a file).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fixtureUri, openFixture, ruleOf, waitForDiagnostics } from './helpers';

const handler = () => fixtureUri('src/handler.ts');
/** 0-based lines of src/handler.ts. */
const directLine = 5; // const settings = readFileSync('settings.json', 'utf8');
const chainLine = 6; // const page = renderPage(name);

const onLine = (line: number) => (d: vscode.Diagnostic) => d.range.start.line === line;

async function revert(uri: vscode.Uri): Promise<void> {
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace
    .getConfiguration('loopLens')
    .update(key, value, vscode.ConfigurationTarget.Workspace);
}

describe('diagnostics', () => {
  before(async () => {
    await openFixture('src/handler.ts');
  });

  it('reports the direct readFileSync in the async handler with rule, link and severity', async () => {
    const diags = await waitForDiagnostics(
      handler(),
      (d) => d.some(onLine(directLine)),
      'a finding on line 6',
    );
    const d = diags.find(onLine(directLine))!;
    assert.equal(d.source, 'loop-lens');
    assert.equal(ruleOf(d), 'sync-fs');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    const target = typeof d.code === 'object' ? d.code.target : undefined;
    assert.ok(
      target?.toString().endsWith('docs/rules/sync-fs.md'),
      `codeDescription links the rule page: ${target}`,
    );
    const text = (await vscode.workspace.openTextDocument(handler())).getText(d.range);
    assert.match(text, /readFileSync/);
  });

  it('reports the call of the blocking helper in another file, with the chain as related information', async () => {
    const diags = await waitForDiagnostics(
      handler(),
      (d) => d.some(onLine(chainLine)),
      'a finding on line 7',
    );
    const d = diags.find(onLine(chainLine))!;
    const related = d.relatedInformation ?? [];
    assert.ok(
      related.some((r) => r.location.uri.path.endsWith('/src/templates.ts')),
      `a chain step points into templates.ts: ${JSON.stringify(related.map((r) => r.location.uri.path))}`,
    );
  });

  it('applies the preferred quick fix: await readFile from node:fs/promises', async () => {
    const [d] = (
      await waitForDiagnostics(handler(), (x) => x.some(onLine(directLine)), 'line 6')
    ).filter(onLine(directLine));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      handler(),
      d!.range,
    );
    const fix = actions.find((a) => a.kind?.value === 'quickfix' && a.isPreferred && a.edit);
    assert.ok(fix, `a preferred quick fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    const doc = await vscode.workspace.openTextDocument(handler());
    assert.equal(doc.lineAt(0).text, "import { readFile } from 'node:fs/promises';");
    assert.equal(
      doc.lineAt(directLine).text,
      "  const settings = await readFile('settings.json', 'utf8');",
    );
    // The edit is re-analysed: the fixed line loses its warning, the helper call keeps its own.
    const after = await waitForDiagnostics(
      handler(),
      (x) => !x.some(onLine(directLine)),
      'the fixed warning to go',
    );
    assert.ok(after.some(onLine(chainLine)), 'the renderPage finding stays');
    await revert(handler());
  });

  it("clears the caller's warning when the helper stops blocking (cross-file)", async () => {
    await waitForDiagnostics(handler(), (d) => d.some(onLine(chainLine)), 'line 7 before the edit');
    const templates = await vscode.workspace.openTextDocument(fixtureUri('src/templates.ts'));
    const line = templates
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('fs.readFileSync'));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(
      templates.uri,
      templates.lineAt(line).range,
      "  const template = '<h1>{{name}}</h1>';",
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForDiagnostics(
      handler(),
      (d) => !d.some(onLine(chainLine)),
      'the caller warning to go',
    );
    await revert(templates.uri);
    await waitForDiagnostics(
      handler(),
      (d) => d.some(onLine(chainLine)),
      'the caller warning to come back',
    );
  });

  it('applies settings without reload: severity, then enable', async () => {
    try {
      await setSetting('severity.syncIo', 'error');
      await waitForDiagnostics(
        handler(),
        (d) =>
          d.some((x) => onLine(directLine)(x) && x.severity === vscode.DiagnosticSeverity.Error),
        'severity error',
      );
      await setSetting('enable', false);
      await waitForDiagnostics(handler(), (d) => d.length === 0, 'no findings when disabled');
    } finally {
      await setSetting('severity.syncIo', undefined);
      await setSetting('enable', undefined);
    }
    await waitForDiagnostics(
      handler(),
      (d) =>
        d.some((x) => onLine(directLine)(x) && x.severity === vscode.DiagnosticSeverity.Warning),
      'findings back',
    );
  });

  it('applies followCalls and ignore without reload', async () => {
    try {
      // Without following calls only the direct readFileSync is reported.
      await setSetting('followCalls', false);
      await waitForDiagnostics(
        handler(),
        (d) => d.some(onLine(directLine)) && !d.some(onLine(chainLine)),
        'only the direct finding',
      );
      await setSetting('followCalls', undefined);
      await waitForDiagnostics(
        handler(),
        (d) => d.some(onLine(chainLine)),
        'the chain finding back',
      );
      // An ignored file gets no findings at all.
      await setSetting('ignore', ['src/handler.ts']);
      await waitForDiagnostics(handler(), (d) => d.length === 0, 'no findings in an ignored file');
    } finally {
      await setSetting('followCalls', undefined);
      await setSetting('ignore', undefined);
    }
    await waitForDiagnostics(handler(), (d) => d.length === 2, 'both findings back');
  });
});
