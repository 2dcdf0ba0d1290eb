import * as vscode from 'vscode';
import type { ConfigKey } from '../shared/configKeys';
import { configDefaults, type ConfigTypes } from '../shared/configKeys';

/**
 * Reads one Loop Lens setting with its declared type (STYLE.md section 9), for a resource when
 * given (settings are `resource`-scoped so folders of a multi-root workspace may differ).
 */
export function readConfig<K extends ConfigKey>(
  key: K,
  scope?: vscode.ConfigurationScope,
): ConfigTypes[K] {
  const dot = key.indexOf('.');
  const section = key.slice(0, dot);
  const name = key.slice(dot + 1);
  return vscode.workspace
    .getConfiguration(section, scope)
    .get<ConfigTypes[K]>(name, configDefaults[key]);
}

/** True when a configuration change touches any Loop Lens setting. */
export function affectsLoopLens(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration('loopLens');
}

/** Calls `listener` when one of `keys` changes (any scope). */
export function onDidChangeConfig(
  keys: readonly ConfigKey[],
  listener: (key: ConfigKey) => void,
): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    const key = keys.find((k) => e.affectsConfiguration(k));
    if (key) listener(key);
  });
}
