/**
 * Changes on disk that no editor made (git checkout, code generators, another tool): re-read the
 * file and re-analyse its dependents; a changed config file restarts the analysis.
 */
import { basename } from 'node:path';
import { FileChangeType, type FileEvent } from 'vscode-languageserver/node';
import { CONFIG_FILE_NAME } from '../analysis/config';
import { inNodeModules } from '../analysis/deps/dependencies';
import { isSourceFile } from '../analysis/files';
import type { AnalysisService } from './analysisService';
import { uriToPath } from './folders';
import { startScan, type ScanState } from './scan';

/** What the server asks the client to watch. */
export const WATCHED_GLOBS = [
  '**/*.{js,jsx,ts,tsx,mjs,cjs,mts,cts}',
  `**/${CONFIG_FILE_NAME}`,
  '**/package.json',
];

/** Applies a batch of `workspace/didChangeWatchedFiles` events. */
export async function onWatchedFilesChanged(
  service: AnalysisService,
  state: ScanState,
  changes: FileEvent[],
): Promise<void> {
  let configChanged = false;
  for (const change of changes) {
    const file = uriToPath(change.uri);
    if (!file) continue;
    const name = basename(file);
    if (name === CONFIG_FILE_NAME || name === 'package.json') {
      configChanged = true;
      continue;
    }
    // An open editor's buffer is the truth for that file; the disk copy does not matter.
    // Installed packages are not project files (they are followed, and reloaded on a reset).
    if (!isSourceFile(file) || service.isOpen(file) || inNodeModules(file)) continue;
    const before = service.host.depsOf(file);
    if (change.type === FileChangeType.Deleted) {
      service.host.remove(file);
      void service.store(new Map([[file, []]]));
    } else {
      if (!service.ctx.folders.owner(file) || service.host.isConfigIgnored(file)) continue;
      await service.host.loadFromDisk([file], (f) => service.isOpen(f));
    }
    void service.reanalyze([{ file, before }]);
  }
  if (configChanged) {
    service.reset();
    await startScan(service, state);
  }
}
