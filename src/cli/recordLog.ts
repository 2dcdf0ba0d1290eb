/**
 * Where `loop-lens record` sends the engine's log lines (src/common/logger.ts): `--verbose`
 * prints them on stderr from trace up (CDP traffic included, payloads trimmed), `--log-file`
 * appends them to a file. Neither: no logger, as before.
 */
import { createWriteStream, openSync } from 'node:fs';
import type { ILogger } from '../common/logger';
import { LineLogger, nullLogger, teeLogger } from '../common/logger';
import type { RecordPlan } from './recordArgs';

export interface RecordLog {
  logger: ILogger;
  /** Flushes and closes the log file, if any. */
  close(): Promise<void>;
}

/** Opens the log file up front, so a bad path fails before anything is attached. */
export function openRecordLog(plan: Pick<RecordPlan, 'verbose' | 'logFile'>): RecordLog {
  const verbose = plan.verbose
    ? new LineLogger((line) => process.stderr.write(`${line}\n`))
    : undefined;
  if (plan.logFile === undefined) {
    return { logger: verbose ?? nullLogger, close: () => Promise.resolve() };
  }
  let fd: number;
  try {
    fd = openSync(plan.logFile, 'a');
  } catch (e) {
    throw new Error(`cannot write the log file ${plan.logFile}: ${(e as Error).message}`);
  }
  const stream = createWriteStream('', { fd });
  const file = new LineLogger((line) => stream.write(`${line}\n`));
  return {
    logger: teeLogger(verbose, file),
    close: () => new Promise((resolve) => stream.end(resolve)),
  };
}
