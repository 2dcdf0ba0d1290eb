import type * as vscode from 'vscode';

/** Registers the runtime UI: commands, debug adapter, sidebar, decorations (placeholder). */
export function registerRuntimeUi(_context: vscode.ExtensionContext): void {}
