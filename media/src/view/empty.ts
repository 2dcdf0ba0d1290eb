/** What the view says before there is a recording: what to do, with buttons that do it. */
import type { WebviewCommand } from '../../../src/shared/protocol/webview';
import { h } from './dom';

export function emptyState(run: (command: WebviewCommand) => void): HTMLElement {
  const attach = h(
    'button',
    { class: 'primary', type: 'button', 'data-command': 'attach' },
    'Attach to Node Process…',
  );
  const open = h(
    'button',
    { class: 'secondary', type: 'button', 'data-command': 'openRecording' },
    'Open Recording…',
  );
  attach.addEventListener('click', () => run('attach'));
  open.addEventListener('click', () => run('openRecording'));
  return h(
    'section',
    { class: 'empty', 'aria-labelledby': 'empty-title' },
    h('h2', { id: 'empty-title' }, 'No recording yet'),
    h(
      'p',
      {},
      "Run 'Loop Lens: Attach to Node Process…' to watch a running Node.js process and see what blocks its event loop.",
    ),
    h('div', { class: 'actions' }, attach, open),
    h(
      'p',
      { class: 'hint' },
      "Or start a 'loop-lens' launch configuration (F5), or open a recording saved with 'loop-lens record --out rec.json'.",
    ),
  );
}
