/**
 * The "Event Loop" sidebar webview (`loopLens.stalls`): serves the page with a strict CSP, hydrates
 * it with the current recording after its `ready`, streams live deltas while it is visible, and
 * turns its clicks into editor navigation.
 */
import * as vscode from 'vscode';
import type { RecordingChange, RecordingStore } from '../common/recordingStore';
import type { Recording, RuntimeEvent, Stall } from '../shared/protocol/runtime';
import { MessageType, WEBVIEW_STACK_DEPTH } from '../shared/protocol/webview';
import type {
  BackgroundSession,
  FromWebviewMessage,
  OpenLocationMessage,
  ToWebviewMessage,
  WebviewCommand,
} from '../shared/protocol/webview';
import { renderStallsViewHtml } from './stallsViewHtml';

export const STALLS_VIEW_ID = 'loopLens.stalls';

const COMMANDS: Record<WebviewCommand, string> = {
  attach: 'loopLens.attachProcess',
  launch: 'loopLens.launchAndRecord',
  openRecording: 'loopLens.openRecording',
  showSession: 'loopLens.showSessionRecording',
};

/** Registers the webview view provider for `loopLens.stalls`, fed by the recording store. */
export function registerStallsView(context: vscode.ExtensionContext, store: RecordingStore): void {
  const provider = new StallsViewProvider(context.extensionUri, store);
  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider(STALLS_VIEW_ID, provider),
    provider,
  );
}

class StallsViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  /** The page's script answered `ready`: posts before that would be lost. */
  private ready = false;
  /** What the last snapshot said of a background session (see backgroundKey). */
  private postedBackground = '';
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: RecordingStore,
  ) {
    this.disposables.push(
      store.onDidChange((c) => this.onStoreChange(c)),
      // A session going on behind an opened file, or stopping there: the view says so.
      store.onDidChangeSession(() => {
        if (backgroundKey(this.background()) !== this.postedBackground) this.hydrate();
      }),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [media] };
    view.webview.html = renderStallsViewHtml({
      cspSource: view.webview.cspSource,
      scriptUri: view.webview
        .asWebviewUri(vscode.Uri.joinPath(media, 'dist', 'main.js'))
        .toString(),
      styleUri: view.webview
        .asWebviewUri(vscode.Uri.joinPath(media, 'styles', 'main.css'))
        .toString(),
    });
    const subs = [
      view.webview.onDidReceiveMessage((m: FromWebviewMessage) => this.onMessage(m)),
      // Hidden views get no deltas; showing again sends a fresh snapshot instead.
      view.onDidChangeVisibility(() => {
        if (view.visible) this.hydrate();
      }),
    ];
    view.onDidDispose(() => {
      subs.forEach((d) => d.dispose());
      if (this.view === view) {
        this.view = undefined;
        this.ready = false;
      }
    });
  }

  private onMessage(m: FromWebviewMessage): void {
    switch (m?.type) {
      case MessageType.Ready:
        this.ready = true;
        this.hydrate();
        return;
      case MessageType.OpenLocation:
        void openLocation(m);
        return;
      case MessageType.RunCommand:
        if (Object.hasOwn(COMMANDS, m.command)) {
          void vscode.commands.executeCommand(COMMANDS[m.command]);
        }
        return;
      default:
        assertNever(m);
    }
  }

  private onStoreChange(c: RecordingChange): void {
    if (c.type === 'reset') this.hydrate();
    else {
      const msg = deltaFor(c.event);
      if (msg) this.post(msg);
    }
  }

  private hydrate(): void {
    const background = this.background();
    this.postedBackground = backgroundKey(background);
    this.post({
      type: MessageType.Hydrate,
      recording: forWebview(this.store.current),
      live: this.store.live,
      origin: this.store.origin,
      endReason: this.store.endReason,
      ...(background ? { background } : {}),
      ...(this.store.exitedLanes.length ? { exitedLanes: this.store.exitedLanes } : {}),
    });
  }

  /** The session's recording when it is not the one shown. */
  private background(): BackgroundSession | undefined {
    const s = this.store;
    if (!s.sessionInBackground) return undefined;
    return { running: s.running, target: s.sessionRecording?.target };
  }

  private post(msg: ToWebviewMessage): void {
    const v = this.view;
    if (!v || !v.visible || !this.ready) return;
    void v.webview.postMessage(msg);
  }

  dispose(): void {
    this.disposables.splice(0).forEach((d) => d.dispose());
  }
}

/** Identifies what a snapshot says of a background session: none, recording, or stopped. */
function backgroundKey(b: BackgroundSession | undefined): string {
  return b ? (b.running ? 'running' : 'stopped') : '';
}

function assertNever(m: never): void {
  // A message from a newer page or a bad payload: ignore it rather than fail the host.
  void m;
}

function deltaFor(e: RuntimeEvent): ToWebviewMessage | undefined {
  switch (e.type) {
    case 'stall':
      return { type: MessageType.Stall, stall: slim(e.stall) };
    case 'metrics':
      return { type: MessageType.Metrics, metrics: e.metrics };
    case 'thread':
      return { type: MessageType.Thread, pid: e.pid, thread: e.thread, state: e.state };
    case 'exit':
      return { type: MessageType.Ended, reason: e.reason, code: e.code };
    case 'error':
      return { type: MessageType.Error, message: e.message };
    default:
      return undefined;
  }
}

/** Stacks trimmed to what the view shows: 10,000 full stacks would be megabytes per hydrate. */
function slim(s: Stall): Stall {
  return s.stack.length > WEBVIEW_STACK_DEPTH
    ? { ...s, stack: s.stack.slice(0, WEBVIEW_STACK_DEPTH) }
    : s;
}

function forWebview(r: Recording | undefined): Recording | undefined {
  return r && { ...r, stalls: r.stalls.map(slim) };
}

/** Opens `file` (absolute path or URL) at the 1-based line, in the active editor group. */
async function openLocation(m: OpenLocationMessage): Promise<void> {
  if (typeof m.file !== 'string' || !m.file || !Number.isFinite(m.line)) return;
  const uri = /^[a-z][a-z0-9+.-]+:\/\//i.test(m.file)
    ? vscode.Uri.parse(m.file)
    : vscode.Uri.file(m.file);
  const line = Math.max(0, Math.floor(m.line) - 1);
  const col = Math.max(0, Math.floor(m.column ?? 1) - 1);
  const pos = new vscode.Position(line, col);
  try {
    await vscode.window.showTextDocument(uri, {
      selection: new vscode.Range(pos, pos),
      preview: true,
      preserveFocus: false,
    });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    void vscode.window.showWarningMessage(`Loop Lens: cannot open ${m.file}:${m.line} (${why}).`);
  }
}
