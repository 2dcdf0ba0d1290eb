/**
 * The sidebar header's status line: a badge that says at a glance whether anything is attached,
 * then what the recording is. Pure, so every state's wording is unit-tested.
 */
import type { ViewState } from './state';
import { formatDateTime, formatMs } from './format';

export interface StatusLine {
  /** `● Live` only while a session records; `Stopped`, `Ended`, `Opened` otherwise. */
  badge: string;
  /** One line after the badge (ellipsized when the sidebar is narrow). */
  text: string;
  /** Tooltip with the details the line leaves out. */
  title: string;
}

const badges: Record<ViewState['status'], string> = {
  empty: '',
  live: '● Live',
  stopped: 'Stopped',
  ended: 'Ended',
  opened: 'Opened',
};

/** The status line for `state`. */
export function statusLine(state: ViewState): StatusLine {
  const t = state.target;
  const who =
    [t?.pid !== undefined ? `pid ${t.pid}` : t?.url, t?.command].filter(Boolean).join(' · ') ||
    'unknown target';
  const recorded = formatDateTime(state.startedAt);
  const title = [
    state.fileName && `Opened from ${state.fileName}`,
    t?.command,
    t?.url,
    t?.nodeVersion && `Node ${t.nodeVersion}`,
    recorded && `Recorded ${recorded} (${state.startedAt})`,
  ]
    .filter(Boolean)
    .join('\n');
  // An opened file names the file and when it was recorded: no process is attached now.
  const text =
    state.status === 'opened'
      ? [state.fileName, recorded && `recorded ${recorded}`, formatMs(state.durationMs)]
          .filter(Boolean)
          .join(' · ')
      : `${formatMs(state.durationMs)} · ${who}`;
  return { badge: badges[state.status], text, title };
}
