/** The logging seam: core layers log through this; `ui/log.ts` backs it with a LogOutputChannel. */
export interface ILogger {
  trace(tag: string, message: string, ...args: unknown[]): void;
  info(tag: string, message: string, ...args: unknown[]): void;
  warn(tag: string, message: string, ...args: unknown[]): void;
  error(tag: string, message: string | Error, ...args: unknown[]): void;
}

export const nullLogger: ILogger = {
  trace() {},
  info() {},
  warn() {},
  error() {},
};
