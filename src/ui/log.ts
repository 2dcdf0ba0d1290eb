import { inspect } from 'node:util';
import * as vscode from 'vscode';
import type { ILogger } from '../common/logger';

/** Formats log arguments once: strings as is, errors as their stack, the rest inspected. */
function formatArg(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (arg instanceof Error) return arg.stack ?? `${arg.name}: ${arg.message}`;
  return inspect(arg, { depth: 4, breakLength: Infinity });
}

/**
 * {@link ILogger} backed by a VS Code `LogOutputChannel` (STYLE.md section 10): the user sets its
 * level in the Output view, and lines are tagged by area, e.g. `[lsp.client] server started`.
 */
export class Logger implements ILogger, vscode.Disposable {
  /** The channel, e.g. to `show()` it from a notification button. */
  readonly channel: vscode.LogOutputChannel;

  constructor(name: string) {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  trace(tag: string, message: string, ...args: unknown[]): void {
    this.channel.trace(this.line(tag, message, args));
  }

  info(tag: string, message: string, ...args: unknown[]): void {
    this.channel.info(this.line(tag, message, args));
  }

  warn(tag: string, message: string, ...args: unknown[]): void {
    this.channel.warn(this.line(tag, message, args));
  }

  error(tag: string, message: string | Error, ...args: unknown[]): void {
    this.channel.error(this.line(tag, formatArg(message), args));
  }

  /** Shows the channel in the Output view. */
  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }

  private line(tag: string, message: string, args: unknown[]): string {
    const rest = args.map(formatArg).join(' ');
    return `[${tag}] ${message}${rest ? ` ${rest}` : ''}`;
  }
}
