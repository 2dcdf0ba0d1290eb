/**
 * The language server's {@link ILogger} (src/common/logger.ts): tagged lines to its connection's
 * console, which the client shows in the "Loop Lens Language Server" channel.
 */
import type { RemoteConsole } from 'vscode-languageserver/node';
import type { ILogger } from '../../src/common/logger';
import { logLine } from '../../src/common/logger';

export function connectionLogger(console: RemoteConsole): ILogger {
  return {
    trace: (tag, m, ...a) => console.log(logLine(tag, m, a)),
    info: (tag, m, ...a) => console.info(logLine(tag, m, a)),
    warn: (tag, m, ...a) => console.warn(logLine(tag, m, a)),
    error: (tag, m, ...a) => console.error(logLine(tag, m, a)),
  };
}
