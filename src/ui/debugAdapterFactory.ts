/**
 * Registers the `loop-lens` debug type: the adapter runs inline in the extension host
 * (src/debug/stallDebugSession.ts), and a configuration provider fills defaults and warns before a
 * non-loopback attach.
 */
import * as vscode from 'vscode';
import type { ILogger } from '../common/logger';
import type { AttachArgs, LaunchArgs } from '../debug/configuration';
import { attachTarget, isLoopback, remoteWarning, targetHost } from '../debug/configuration';
import { debugType } from '../debug/events';
import type { RecorderFactory } from '../debug/stallDebugSession';
import { StallDebugSession } from '../debug/stallDebugSession';

type Config = vscode.DebugConfiguration & AttachArgs & LaunchArgs;

/** Registers the inline adapter factory and the configuration provider. */
export function registerDebugAdapter(
  context: vscode.ExtensionContext,
  recorder: RecorderFactory,
  logger: ILogger,
): void {
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(debugType, {
      createDebugAdapterDescriptor: () =>
        new vscode.DebugAdapterInlineImplementation(new StallDebugSession(recorder, logger)),
    }),
    vscode.debug.registerDebugConfigurationProvider(debugType, new ConfigurationProvider()),
  );
}

class ConfigurationProvider implements vscode.DebugConfigurationProvider {
  /** F5 without a launch.json: record the JavaScript file in the active editor. */
  resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    config: Config,
  ): Config | undefined {
    if (!config.type && !config.request && !config.name) {
      const doc = vscode.window.activeTextEditor?.document;
      if (
        !doc ||
        !['javascript', 'typescript'].includes(doc.languageId) ||
        doc.uri.scheme !== 'file'
      ) {
        void vscode.window.showInformationMessage(
          'Loop Lens: open a JavaScript file, or add a "loop-lens" configuration to launch.json.',
        );
        return undefined;
      }
      return {
        type: debugType,
        request: 'launch',
        name: 'Loop Lens: Launch and Record',
        program: doc.uri.fsPath,
        cwd: folder?.uri.fsPath,
      };
    }
    if (config.remoteRoot && !config.localRoot && folder) config.localRoot = folder.uri.fsPath;
    return config;
  }

  /** Runs after `${...}` substitution, so the real address is known here. */
  async resolveDebugConfigurationWithSubstitutedVariables(
    _folder: vscode.WorkspaceFolder | undefined,
    config: Config,
  ): Promise<Config | undefined> {
    if (config.request !== 'attach') return config;
    if (config.processId === undefined || config.processId === '') {
      if (config.port === undefined && !config.websocketUrl) return config; // the adapter explains
    }
    let host: string | undefined;
    try {
      host = targetHost(attachTarget(config));
    } catch {
      return config; // the adapter reports the configuration error
    }
    if (!host || isLoopback(host)) return config;
    const go = 'Attach Anyway';
    const answer = await vscode.window.showWarningMessage(remoteWarning(host), { modal: true }, go);
    return answer === go ? config : undefined;
  }
}
