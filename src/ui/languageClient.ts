import type * as vscode from 'vscode';

/** Starts the Loop Lens language server (placeholder until the client lands). */
export async function registerLanguageClient(_context: vscode.ExtensionContext): Promise<void> {}
