import type * as vscode from 'vscode';
import { registerLanguageClient } from './ui/languageClient';
import type { RuntimeUiApi } from './ui/runtimeUi';
import { registerRuntimeUi } from './ui/runtimeUi';

/** What `activate` returns: `vscode.extensions.getExtension(id).exports` (tests use it). */
export interface LoopLensApi {
  runtime: RuntimeUiApi;
}

/** Builds the services and wires each feature; nothing else. */
export async function activate(context: vscode.ExtensionContext): Promise<LoopLensApi> {
  // The runtime UI first: it is synchronous, and its commands and views must exist even when
  // the language server is slow to start or fails.
  const runtime = registerRuntimeUi(context);
  await registerLanguageClient(context, runtime.heat);
  return { runtime };
}

export function deactivate(): void {}
