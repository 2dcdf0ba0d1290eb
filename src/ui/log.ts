import * as vscode from 'vscode';
import type { ILogger } from '../common/logger';
import { formatLogArg as formatArg, logLine } from '../common/logger';

/**
 * {@link ILogger} backed by a VS Code `LogOutputChannel`: its level follows VS Code's log level
 * (or the one the user picks for the channel in the Output view), and lines are tagged by area,
 * e.g. `[lsp.client] server started` (src/common/logger.ts).
 */
export class Logger implements ILogger, vscode.Disposable {
  /** The channel, e.g. to `show()` it from a notification button. */
  readonly channel: vscode.LogOutputChannel;

  constructor(name: string) {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  tracing(): boolean {
    return this.channel.logLevel === vscode.LogLevel.Trace;
  }

  trace(tag: string, message: string, ...args: unknown[]): void {
    if (this.tracing()) this.channel.trace(this.line(tag, message, args));
  }

  info(tag: string, message: string, ...args: unknown[]): void {
    this.channel.info(this.line(tag, message, args));
  }

  warn(tag: string, message: string, ...args: unknown[]): void {
    this.channel.warn(this.line(tag, message, args));
  }

  error(tag: string, message: string | Error, ...args: unknown[]): void {
    this.channel.error(this.line(tag, message, args));
  }

  /** Shows the channel in the Output view. */
  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }

  private line(tag: string, message: string | Error, args: unknown[]): string {
    return logLine(tag, message, args);
  }
}

/** `HH:MM:SS.mmm` (UTC) in front of each trace line, as a LogOutputChannel would print. */
function timestamp(): string {
  return new Date().toISOString().slice(11, 23);
}

/**
 * The "Loop Lens Trace" channel for the language client. vscode-languageclient traces only when
 * its trace channel's log level is Trace, so `loopLens.trace.server` alone would do nothing
 * until the user also changed that level by hand. This channel reports level Trace exactly when
 * the setting is not `off` and tells the client when that changes; lines are written plainly.
 */
export class TraceChannel implements vscode.LogOutputChannel {
  readonly name: string;
  private readonly channel: vscode.OutputChannel;
  private readonly levelChanged = new vscode.EventEmitter<vscode.LogLevel>();
  private readonly listener: vscode.Disposable;
  readonly onDidChangeLogLevel = this.levelChanged.event;

  constructor(
    name: string,
    private readonly setting: () => string,
  ) {
    this.name = name;
    this.channel = vscode.window.createOutputChannel(name);
    let level = this.logLevel;
    this.listener = vscode.workspace.onDidChangeConfiguration(() => {
      if (this.logLevel !== level) this.levelChanged.fire((level = this.logLevel));
    });
  }

  get logLevel(): vscode.LogLevel {
    return this.setting() === 'off' ? vscode.LogLevel.Off : vscode.LogLevel.Trace;
  }

  trace(message: string): void {
    this.channel.appendLine(`${timestamp()} ${message}`);
  }
  debug(message: string, ...args: unknown[]): void {
    this.trace([message, ...args.map(formatArg)].join(' '));
  }
  info(message: string, ...args: unknown[]): void {
    this.debug(message, ...args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.debug(message, ...args);
  }
  error(error: string | Error, ...args: unknown[]): void {
    this.debug(formatArg(error), ...args);
  }
  append(value: string): void {
    this.channel.append(value);
  }
  appendLine(value: string): void {
    this.channel.appendLine(value);
  }
  replace(value: string): void {
    this.channel.replace(value);
  }
  clear(): void {
    this.channel.clear();
  }
  show(preserveFocus?: boolean): void;
  show(column?: vscode.ViewColumn, preserveFocus?: boolean): void;
  show(a?: boolean | vscode.ViewColumn, b?: boolean): void {
    this.channel.show(typeof a === 'boolean' ? a : b);
  }
  hide(): void {
    this.channel.hide();
  }
  dispose(): void {
    this.listener.dispose();
    this.levelChanged.dispose();
    this.channel.dispose();
  }
}
