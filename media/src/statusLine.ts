/**
 * The sidebar header's status line: a badge that says at a glance whether anything is attached,
 * then what the recording is. Pure, so every state's wording is unit-tested.
 */
import type { TargetInfo } from '../../src/shared/protocol/runtime';
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

/** `pid 4242 · node server.js`, or the inspector URL when the pid is unknown. */
function whoOf(t: TargetInfo | undefined): string {
  return (
    [t?.pid !== undefined ? `pid ${t.pid}` : t?.url, t?.command].filter(Boolean).join(' · ') ||
    'unknown target'
  );
}

/**
 * The line above everything when a session's recording is behind the one shown (a file was
 * opened over it, or the view cleared): a process may still be attached and recorded while the
 * view says "Opened", and the button brings that recording back.
 */
export function backgroundLine(
  state: ViewState,
): { text: string; button: string; title: string } | undefined {
  const b = state.background;
  if (!b) return undefined;
  const t = b.target;
  // Short, for a narrow sidebar: `pid 4242 · server.js --port 80`; the full line on hover.
  const who = whoOf(t && { ...t, command: t.command && shortCommand(t.command) });
  const full = whoOf(t);
  return b.running
    ? {
        text: `● Still recording ${who}`,
        button: 'Show live',
        title: `A session is still attached to ${full} and recording it; this view shows another recording.`,
      }
    : {
        text: `The session's recording of ${who} is not shown`,
        button: 'Show it',
        title: `The last session (${full}) has stopped; this view shows another recording.`,
      };
}

/**
 * A command line without the Node executable, its flags and the script's folder:
 * `/usr/bin/node --inspect /srv/app/server.js --port 80` → `server.js --port 80`.
 */
export function shortCommand(command: string): string {
  const words = command.split(' ').filter(Boolean);
  let i = 0;
  if (/(^|[\\/])node(\.exe)?$/.test(words[0] ?? '')) i++;
  while (i < words.length - 1 && words[i]!.startsWith('-')) i++;
  const rest = words.slice(i);
  if (!rest.length || rest[0]!.startsWith('-')) return command;
  rest[0] = rest[0]!.split(/[\\/]/).pop() || rest[0]!;
  return rest.join(' ');
}

/** The status line for `state`. */
export function statusLine(state: ViewState): StatusLine {
  const t = state.target;
  const who = whoOf(t);
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
