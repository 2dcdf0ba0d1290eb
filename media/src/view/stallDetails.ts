/**
 * What the sidebar says about one stall (the timeline's and the lanes' tooltips): kind and
 * length, when and in which thread, the blamed line, and what the thread waited on. Built with
 * text nodes only: a recording's strings are never markup.
 */
import type { Stall } from '../../../src/shared/protocol/runtime';
import { baseName, formatMs, formatOffset } from '../format';
import { h } from './dom';
import { kindLabel } from './palette';

/** `thread`: the stall's thread as its lane names it, when the recording has several. */
export function stallDetails(stall: Stall, spanMs: number, thread?: string): HTMLElement[] {
  const where = stall.blame;
  const when = `at ${formatOffset(stall.startMs, spanMs)}${thread ? ` in ${thread}` : ''}`;
  return [
    h('strong', {}, `${kindLabel(stall.kind)} stall · ${formatMs(stall.durationMs)}`),
    h('div', {}, when),
    h(
      'div',
      { class: 'mono' },
      where
        ? `${where.functionName || '(anonymous)'} ${baseName(where.file)}:${where.line}`
        : 'no source line',
    ),
    ...(stall.waitingOn
      ? [h('div', { class: 'waiting-on' }, `waiting on ${stall.waitingOn}`)]
      : []),
  ];
}
