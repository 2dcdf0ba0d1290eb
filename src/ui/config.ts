import * as vscode from 'vscode';
import type { ConfigKey } from '../shared/configKeys';
import { configDefaults, type ConfigTypes } from '../shared/configKeys';

/**
 * Reads one Loop Lens setting with its declared type (src/shared/configKeys.ts), for a resource when
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
