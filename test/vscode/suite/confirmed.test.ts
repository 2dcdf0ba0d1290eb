/**
 * Static findings confirmed at run time, in the real VS Code: the language server's findings of
 * test/fixtures/workspace/src/handler.ts get the runtime numbers in their message when a
 * recording (opened with Open Recording…, as a teammate's file would be) blamed their lines, and
 * lose them when the recording is cleared.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Recording, Stall } from '../../../src/shared/protocol/runtime';
import { fixtureUri, openFixture, ruleOf, waitForDiagnostics } from './helpers';

const mark = 'confirmed at run time';
const handler = () => fixtureUri('src/handler.ts');
const templates = () => fixtureUri('src/templates.ts');

/** 0-based line of the first line of `uri` that contains `text`. */
async function lineOf(uri: vscode.Uri, text: string): Promise<number> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const line = doc
    .getText()
    .split('\n')
    .findIndex((l) => l.includes(text));
  assert.ok(line >= 0, `${text} in ${uri.path}`);
  return line;
}

/** A stall the runtime blamed on `line` (1-based, as recordings store it) of `uri`. */
function stall(uri: vscode.Uri, line: number, functionName: string, durationMs: number): Stall {
  const frame = { functionName, file: uri.fsPath, line, column: 3 };
  return {
    startMs: 1000 * line + durationMs,
    durationMs,
    kind: 'sync-io',
    blame: frame,
    stack: [frame],
  };
}

/** Writes a recording file like `loop-lens record --out` does. */
function writeRecording(stalls: Stall[]): vscode.Uri {
  const rec: Recording = {
    version: 1,
    target: { pid: 4242, url: 'ws://127.0.0.1:9229/fixture' },
    startedAt: new Date().toISOString(),
    durationMs: 10_000,
    thresholdMs: 50,
    mode: 'profile',
    stalls,
    hotspots: [],
    metrics: [],
  };
  const file = join(mkdtempSync(join(tmpdir(), 'loop-lens-confirmed-')), 'rec.json');
  writeFileSync(file, JSON.stringify(rec, null, 2));
  return vscode.Uri.file(file);
}

describe('static findings confirmed at run time', () => {
  after(async () => {
    await vscode.commands.executeCommand('loopLens.clearRecording');
  });

  it('appends the runtime numbers to the findings a recording blamed, and drops them when it is cleared', async () => {
    await openFixture('src/handler.ts');
    // 0-based: the direct readFileSync, the renderPage call whose chain ends in templates.ts.
    const direct = await lineOf(handler(), "readFileSync('settings.json'");
    const chain = await lineOf(handler(), 'renderPage(name)');
    const helperCall = await lineOf(templates(), 'fs.readFileSync');
    const onLine = (line: number) => (d: vscode.Diagnostic) => d.range.start.line === line;
    const before = await waitForDiagnostics(
      handler(),
      (d) => d.some(onLine(direct)) && d.some(onLine(chain)),
      'both static findings of handler.ts',
    );
    const original = (line: number) => before.find(onLine(line))!.message;
    assert.ok(!before.some((d) => d.message.includes(mark)), 'nothing is confirmed yet');

    // Recordings and diagnostics count lines differently: stalls use 1-based lines.
    const rec = writeRecording([
      stall(handler(), direct + 1, 'handleRequest', 400),
      stall(handler(), direct + 1, 'handleRequest', 500),
      stall(handler(), direct + 1, 'handleRequest', 300),
      stall(templates(), helperCall + 1, 'renderPage', 120),
      stall(templates(), helperCall + 1, 'renderPage', 90),
      // A blamed line with no finding (the return) confirms nothing.
      stall(handler(), chain + 2, 'handleRequest', 700),
    ]);
    assert.equal(await vscode.commands.executeCommand('loopLens.openRecording', rec), true);

    const marked = await waitForDiagnostics(
      handler(),
      (d) => d.filter((x) => x.message.includes(mark)).length === 2,
      'both findings marked as confirmed',
    );
    assert.equal(
      marked.find(onLine(direct))!.message,
      `${original(direct)} — ${mark}: blocked 1.2 s in 3 stalls (max 500 ms)`,
    );
    // The renderPage call is confirmed through its chain: the time was blamed in templates.ts.
    assert.equal(
      marked.find(onLine(chain))!.message,
      `${original(chain)} — ${mark}: blocked 210 ms in 2 stalls (max 120 ms)`,
    );
    assert.equal(marked.length, before.length, 'no diagnostic added or lost');
    const d = marked.find(onLine(direct))!;
    assert.equal(ruleOf(d), 'sync-fs', 'the rule id stays');
    assert.equal(d.source, 'loop-lens');

    // The marked diagnostic still carries its finding: the quick fix is offered for it.
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      handler(),
      d.range,
    );
    assert.ok(
      actions.some((a) => a.kind?.value === 'quickfix' && a.isPreferred && a.edit),
      `a preferred quick fix among: ${actions.map((a) => a.title).join(' | ')}`,
    );

    await vscode.commands.executeCommand('loopLens.clearRecording');
    const after = await waitForDiagnostics(
      handler(),
      (x) => x.length === before.length && !x.some((y) => y.message.includes(mark)),
      'the confirmation to go with the recording',
    );
    assert.equal(after.find(onLine(direct))!.message, original(direct));
    assert.equal(after.find(onLine(chain))!.message, original(chain));
  });
});
