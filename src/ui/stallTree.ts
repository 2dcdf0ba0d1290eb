/**
 * The "Stalls" tree: hotspots (blamed lines by total blocked time) and every stall with its stack,
 * for keyboard and screen-reader users. Selecting an item opens the file at the blamed line.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Throttle } from '../common/throttle';
import { Disposable } from '../common/disposable';
import type { RecordingStore } from '../common/recordingStore';
import type { StackFrame, Stall } from '../shared/protocol/runtime';
import type { LineHeat, RuntimeHeat } from './lineHeat';
import { formatMs, lineWhat } from './lineHeat';

/** A node of the tree; plain data so tests can read the tree through the extension API. */
export type StallNode =
  | { kind: 'group'; id: 'hotspots' | 'stalls'; label: string }
  | { kind: 'hotspot'; heat: LineHeat }
  | { kind: 'stall'; stall: Stall; index: number }
  | { kind: 'frame'; frame: StackFrame; id: string };

const maxStalls = 1000;
/** Refreshes at most once a second while stalls stream in: a tree re-render is not cheap. */
const refreshMs = 1000;

export class StallTreeProvider extends Disposable implements vscode.TreeDataProvider<StallNode> {
  private readonly changed = this._register(new vscode.EventEmitter<StallNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly refresh = this._register(
    new Throttle(refreshMs, () => this.changed.fire(undefined)),
  );

  constructor(
    private readonly store: RecordingStore,
    private readonly heat: RuntimeHeat,
  ) {
    super();
    this._register(heat.onDidChange(() => this.refresh.schedule()));
    // Another recording shown (opened, cleared, back to the session): at once, never a second
    // of the previous one's stalls under the new one's name.
    this._register(store.onDidChange((c) => c.type === 'reset' && this.refresh.now()));
  }

  getChildren(node?: StallNode): StallNode[] {
    const rec = this.store.current;
    if (!rec) return [];
    if (!node) {
      return [
        { kind: 'group', id: 'hotspots', label: `Hotspots (${this.hotspots().length})` },
        { kind: 'group', id: 'stalls', label: `Stalls (${rec.stalls.length})` },
      ];
    }
    switch (node.kind) {
      case 'group':
        return node.id === 'hotspots'
          ? this.hotspots().map((heat) => ({ kind: 'hotspot', heat }))
          : this.stalls();
      case 'hotspot':
        return (node.heat.stacks[0] ?? []).map((frame, i) => ({
          kind: 'frame',
          frame,
          id: `h:${node.heat.file}:${node.heat.line}:${i}`,
        }));
      case 'stall':
        return node.stall.stack.map((frame, i) => ({
          kind: 'frame',
          frame,
          id: `s:${node.index}:${i}`,
        }));
      case 'frame':
        return [];
    }
  }

  private hotspots(): LineHeat[] {
    const all = this.heat.files().flatMap((f) => [...this.heat.forFile(f)]);
    return all.sort((a, b) => b.totalMs - a.totalMs);
  }

  private stalls(): StallNode[] {
    const list = this.store.current?.stalls ?? [];
    const from = Math.max(0, list.length - maxStalls);
    // Newest first: while recording, the stall that just happened is on top.
    return list
      .slice(from)
      .map((stall, i) => ({ kind: 'stall' as const, stall, index: from + i }))
      .reverse();
  }

  getTreeItem(node: StallNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group': {
        // No id: the count in the label changes, and VS Code keeps the old label of an element
        // whose id stays the same across a refresh.
        return new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
      }
      case 'hotspot':
        return hotspotItem(node.heat);
      case 'stall':
        return stallItem(node.stall, node.index);
      case 'frame':
        return frameItem(node.frame, node.id);
    }
  }
}

function openCommand(file: string, line: number, column = 1): vscode.Command | undefined {
  if (!path.isAbsolute(file)) return undefined;
  const pos = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
  return {
    command: 'vscode.open',
    title: 'Open',
    arguments: [
      vscode.Uri.file(file),
      { selection: new vscode.Range(pos, pos) } satisfies vscode.TextDocumentShowOptions,
    ],
  };
}

function hotspotItem(h: LineHeat): vscode.TreeItem {
  const where = `${path.basename(h.file)}:${h.line}`;
  const fn = h.functionName || '(anonymous)';
  const item = new vscode.TreeItem(`${fn}  ${where}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `hotspot:${h.file}:${h.line}`;
  const what = lineWhat(h);
  item.description = `${formatMs(h.totalMs)} in ${h.count} stall${h.count === 1 ? '' : 's'}, max ${formatMs(h.maxMs)}${what ? ` · ${what}` : ''}`;
  item.tooltip = `${h.file}:${h.line}\n${item.description}`;
  item.iconPath = new vscode.ThemeIcon('flame');
  item.command = openCommand(h.file, h.line);
  item.accessibilityInformation = { label: `${fn} at ${where}: blocked ${item.description}` };
  return item;
}

function stallItem(s: Stall, index: number): vscode.TreeItem {
  const op = s.operation && s.operation !== s.blame?.functionName ? s.operation : '';
  const pkg = s.package ? `${op ? ' ' : ''}in ${s.package.name}@${s.package.version}` : '';
  const what = op || pkg ? `  (${op}${pkg})` : '';
  const where =
    s.kind === 'starved'
      ? `${Math.round((s.starvation?.waitShare ?? 0) * 100)}% waiting for a CPU (busy machine)`
      : s.blame
        ? `${s.blame.functionName || '(anonymous)'}  ${path.basename(s.blame.file)}:${s.blame.line}${what}`
        : `no user frame${what}`;
  const item = new vscode.TreeItem(
    `${Math.round(s.durationMs)} ms ${s.kind}  ${where}`,
    vscode.TreeItemCollapsibleState.Collapsed,
  );
  item.id = `stall:${index}`;
  item.description = `at +${(s.startMs / 1000).toFixed(2)} s`;
  if (s.waitingOn) item.tooltip = `${where}\nwaiting on ${s.waitingOn}`;
  item.iconPath = new vscode.ThemeIcon(
    s.kind === 'sync-io' ? 'file-binary' : s.kind === 'gc' ? 'trash' : 'watch',
  );
  item.command = s.blame ? openCommand(s.blame.file, s.blame.line, s.blame.column) : undefined;
  item.accessibilityInformation = {
    label: `Stall of ${Math.round(s.durationMs)} milliseconds, ${s.kind}, ${where}, ${item.description}`,
  };
  return item;
}

function frameItem(f: StackFrame, id: string): vscode.TreeItem {
  const item = new vscode.TreeItem(
    f.functionName || '(anonymous)',
    vscode.TreeItemCollapsibleState.None,
  );
  item.id = id;
  item.description = `${path.basename(f.file)}:${f.line}`;
  item.tooltip = `${f.file}:${f.line}:${f.column}`;
  item.command = openCommand(f.file, f.line, f.column);
  return item;
}
