import type * as vscode from 'vscode';
import { registerLanguageClient } from './ui/languageClient';
import { registerRuntimeUi } from './ui/runtimeUi';

/** Builds the services and wires each feature; nothing else (STYLE.md section 3). */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  await registerLanguageClient(context);
  registerRuntimeUi(context);
}

export function deactivate(): void {}
