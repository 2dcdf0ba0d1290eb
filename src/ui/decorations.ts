/**
 * Heat on the lines that blocked the event loop: a background and gutter mark whose intensity
 * follows the line's total blocked time, a note at the end of the line with its numbers
 * ("blocked 2.6 s in 17 stalls · max 160 ms · CPU"), a hover with the stacks, and a CodeLens on
 * the function ("blocked 1.2 s in 14 stalls").
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import { Throttle } from '../common/throttle';
import type { StackFrame } from '../shared/protocol/runtime';
import type { LineHeat, RuntimeHeat } from './lineHeat';
import { byWeight, fileKey, formatMs, functionHeat, heatLevel, lineNote } from './lineHeat';

const levels = [1, 2, 3, 4] as const;
const gutterColours = {
  dark: ['#ff8c00', '#ff6a00', '#ff3d1a', '#ff1a1a'],
  light: ['#d97706', '#d35400', '#c0392b', '#a40000'],
};

/** A flame-like bar in the gutter, wider as the heat grows. */
function gutterIcon(colour: string, level: number): vscode.Uri {
  const w = 2 + level;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><rect x="${14 - w}" y="1" width="${w}" height="14" rx="1" fill="${colour}"/></svg>`;
  return vscode.Uri.parse(`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`);
}

/** Paints heat into every visible editor and remembers what it painted (for tests and the API). */
export class HeatDecorations extends Disposable {
  private readonly types: vscode.TextEditorDecorationType[];
  private readonly painted = new Map<string, Array<{ line: number; note: string }>>();

  constructor(private readonly heat: RuntimeHeat) {
    super();
    this.types = levels.map((n) =>
      this._register(
        vscode.window.createTextEditorDecorationType({
          isWholeLine: true,
          backgroundColor: new vscode.ThemeColor(`loopLens.heat${n}`),
          overviewRulerColor: new vscode.ThemeColor(`loopLens.heat${n}`),
          overviewRulerLane: vscode.OverviewRulerLane.Right,
          // The line's note, in the colour of CodeLens text, clear of the code.
          after: {
            color: new vscode.ThemeColor('editorCodeLens.foreground'),
            margin: '0 0 0 3em',
            fontStyle: 'italic',
          },
          dark: { gutterIconPath: gutterIcon(gutterColours.dark[n - 1]!, n) },
          light: { gutterIconPath: gutterIcon(gutterColours.light[n - 1]!, n) },
        }),
      ),
    );
    this._register(heat.onDidChange(() => this.paintAll()));
    this._register(vscode.window.onDidChangeVisibleTextEditors(() => this.paintAll()));
    this.paintAll();
  }

  /** 1-based lines painted in the editor of `file`, for tests and the extension API. */
  paintedLines(file: string): number[] {
    return (this.painted.get(fileKey(file)) ?? []).map((p) => p.line);
  }

  /** The note painted at the end of each heated line of `file`, by 1-based line. */
  paintedNotes(file: string): Record<number, string> {
    return Object.fromEntries((this.painted.get(fileKey(file)) ?? []).map((p) => [p.line, p.note]));
  }

  private paintAll(): void {
    this.painted.clear();
    const hottest = this.heat.hottestMs();
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.scheme !== 'file') continue;
      const lines = this.heat.forFile(editor.document.uri.fsPath);
      const byLevel = new Map<number, vscode.DecorationOptions[]>();
      for (const l of lines) {
        if (l.line < 1 || l.line > editor.document.lineCount) continue;
        const lvl = heatLevel(l.totalMs, hottest);
        const list = byLevel.get(lvl) ?? [];
        list.push({
          range: new vscode.Range(l.line - 1, 0, l.line - 1, 0),
          hoverMessage: hover(l),
          renderOptions: { after: { contentText: lineNote(l) } },
        });
        byLevel.set(lvl, list);
      }
      levels.forEach((n, i) => editor.setDecorations(this.types[i]!, byLevel.get(n) ?? []));
      const done = [...byLevel.values()].flat().map((d) => ({
        line: d.range.start.line + 1,
        note: d.renderOptions?.after?.contentText ?? '',
      }));
      if (done.length) {
        this.painted.set(
          fileKey(editor.document.uri.fsPath),
          done.sort((a, b) => a.line - b.line),
        );
      }
    }
  }
}

/** Hover text of a blamed line: the numbers, the kinds, and up to three distinct stacks. */
export function hover(l: LineHeat): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: ['vscode.open'] };
  const kinds = Object.entries(l.kinds)
    .map(([k, n]) => `${k} ×${n}`)
    .join(', ');
  md.appendMarkdown(
    `**$(flame) Loop Lens**: this line blocked the event loop ${l.count} time${l.count === 1 ? '' : 's'}`,
  );
  md.appendMarkdown(
    `  \ntotal **${formatMs(l.totalMs)}**, max **${formatMs(l.maxMs)}** (${kinds})\n\n`,
  );
  const ops = byWeight(l.operations).map((o) => `\`${o}\``);
  const pkgs = byWeight(l.packages).map((p) => `\`${p}\``);
  if (ops.length) md.appendMarkdown(`Operation: ${ops.join(', ')}  \n`);
  if (pkgs.length) md.appendMarkdown(`Package: ${pkgs.join(', ')}\n\n`);
  if (l.waitingOn) md.appendMarkdown(`Waited on: \`${l.waitingOn}\`\n\n`);
  l.stacks.forEach((stack, i) => {
    md.appendMarkdown(i === 0 ? '**Stack** (innermost first)\n\n' : `\n\n**Another stack**\n\n`);
    md.appendMarkdown(stack.slice(0, 8).map(frameLink).join('\n'));
  });
  return md;
}

function frameLink(f: StackFrame): string {
  const name = (f.functionName || '(anonymous)').replace(/[[\]*_`]/g, '\\$&');
  const label = `${path.basename(f.file)}:${f.line}`;
  if (!path.isAbsolute(f.file)) return `- \`${name}\` ${label}`;
  const uri = vscode.Uri.file(f.file).with({ fragment: `L${f.line}` });
  return `- \`${name}\` [${label}](${uri.toString()})`;
}

/**
 * VS Code re-asks for lenses a debounce delay after the LAST change event, so events that come
 * faster than that (stalls stream in every few hundred ms) postpone the refresh until the
 * recording stops; lenses then lagged the line notes (18 stalls against 30 in the e2e
 * screenshot). Changes are passed on at most this often, with a trailing one.
 */
const LENS_REFRESH_MS = 2000;

/** "blocked 1.2 s in 14 stalls" above each function that holds blamed lines. */
export class HeatCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly refresh = new Throttle(LENS_REFRESH_MS, () => this.changed.fire());

  constructor(private readonly heat: RuntimeHeat) {
    heat.onDidChange(() => this.refresh.schedule());
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const lines = this.heat.forFile(doc.uri.fsPath);
    if (!lines.length) return [];
    const symbols = await documentSymbols(doc.uri);
    return functionHeat(lines).map((fn) => {
      const sym = innermost(symbols, fn.firstLine - 1);
      const at = sym ? sym.selectionRange.start.line : fn.firstLine - 1;
      const title = `$(flame) blocked ${formatMs(fn.totalMs)} in ${fn.count} stall${fn.count === 1 ? '' : 's'}`;
      return new vscode.CodeLens(new vscode.Range(at, 0, at, 0), {
        title,
        tooltip: `Loop Lens: ${fn.functionName || 'this function'} blocked the event loop`,
        command: 'loopLens.showHeatmap',
      });
    });
  }

  dispose(): void {
    this.refresh.dispose();
    this.changed.dispose();
  }
}

/** Symbols of the document; a slow provider (TypeScript still loading) is not waited for long. */
async function documentSymbols(uri: vscode.Uri): Promise<vscode.DocumentSymbol[]> {
  const ask = Promise.resolve(
    vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>(
      'vscode.executeDocumentSymbolProvider',
      uri,
    ),
  ).catch(() => undefined); // no symbol provider: the lens goes on the blamed line itself
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 1500)));
  const r = await Promise.race([ask, late]);
  clearTimeout(timer);
  return (r ?? []).filter((s): s is vscode.DocumentSymbol => 'children' in s);
}

const functionKinds = new Set([
  vscode.SymbolKind.Function,
  vscode.SymbolKind.Method,
  vscode.SymbolKind.Constructor,
]);

/** The innermost function-like symbol that contains the 0-based line. */
function innermost(
  symbols: vscode.DocumentSymbol[],
  line: number,
): vscode.DocumentSymbol | undefined {
  for (const s of symbols) {
    if (s.range.start.line > line || s.range.end.line < line) continue;
    const inner = innermost(s.children, line);
    if (inner) return inner;
    if (functionKinds.has(s.kind)) return s;
  }
  return undefined;
}
