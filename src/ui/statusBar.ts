/**
 * Status bar item: whether Loop Lens is recording, the live event-loop delay p99 and the stall
 * count. A click focuses the Loop Lens sidebar; while a session records behind a recording opened
 * from a file (or behind nothing), the item says so and a click shows the live recording again.
 */
import * as vscode from 'vscode';
import { Disposable } from '../common/disposable';
import type { RecordingStore } from '../common/recordingStore';

export class RecordingStatusBar extends Disposable {
  private readonly item = this._register(
    vscode.window.createStatusBarItem('loopLens.status', vscode.StatusBarAlignment.Left, 10),
  );
  private p99: number | undefined;

  constructor(private readonly store: RecordingStore) {
    super();
    this.item.name = 'Loop Lens';
    this.item.command = 'workbench.view.extension.loopLens';
    this._register(
      store.onDidChange((c) => {
        if (c.type === 'reset') this.p99 = lastP99(c.recording?.metrics);
        else if (c.event.type === 'metrics') this.p99 = c.event.metrics.loopDelay.p99;
        else if (c.event.type !== 'stall' && c.event.type !== 'exit') return;
        this.render();
      }),
    );
    this._register(store.onDidChangeSession(() => this.render()));
    this.render();
  }

  /** The text shown, for tests. */
  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const rec = this.store.current;
    const background = this.store.running && !this.store.live && this.store.sessionRecording;
    this.item.command = background
      ? 'loopLens.showSessionRecording'
      : 'workbench.view.extension.loopLens';
    if (background) {
      this.renderBackground(background.target.command ?? background.target.url);
      return;
    }
    if (!rec) {
      this.item.hide();
      return;
    }
    const stalls = rec.stalls.length;
    const delay =
      this.p99 !== undefined ? `  p99 ${this.p99.toFixed(this.p99 < 10 ? 1 : 0)} ms` : '';
    if (this.store.live) {
      this.item.text = `$(record) Loop Lens${delay}  $(flame) ${stalls}`;
      this.item.tooltip = `Recording ${rec.target.url}: ${stalls} stalls so far; event-loop delay p99 over the last second. Click to open the Loop Lens sidebar.`;
      this.item.backgroundColor =
        this.p99 !== undefined && this.p99 > rec.thresholdMs
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    } else {
      this.item.text = `$(circle-large-outline) Loop Lens  $(flame) ${stalls}`;
      const o = this.store.origin;
      const what = `${rec.target.command ?? rec.target.url} (not live): ${stalls} stalls`;
      this.item.tooltip = `${o?.kind === 'file' ? `Opened ${o.fileName}, recording of` : 'Stopped recording of'} ${what}. Click to open the Loop Lens sidebar.`;
      this.item.backgroundColor = undefined;
    }
    this.item.accessibilityInformation = { label: this.item.tooltip as string };
    this.item.show();
  }

  /** A session records while the sidebar shows a file or nothing: Stop is still there. */
  private renderBackground(target: string): void {
    const o = this.store.origin;
    const shows = o?.kind === 'file' ? `the sidebar shows ${o.fileName}` : 'nothing is shown';
    this.item.text = `$(record) Loop Lens (in background)`;
    this.item.tooltip = `Recording ${target} in the background; ${shows}. Click to show the live recording.`;
    this.item.backgroundColor = undefined;
    this.item.accessibilityInformation = { label: this.item.tooltip };
    this.item.show();
  }
}

function lastP99(metrics: { loopDelay: { p99: number } }[] | undefined): number | undefined {
  return metrics?.length ? metrics[metrics.length - 1]!.loopDelay.p99 : undefined;
}
