/**
 * The line at the top of the view when a session's recording is behind the one shown (see
 * backgroundLine): what goes on there, and a button that shows it again.
 */
import type { WebviewCommand } from '../../../src/shared/protocol/webview';
import type { ViewState } from '../state';
import { backgroundLine } from '../statusLine';
import { h } from './dom';

export class BackgroundView {
  readonly element: HTMLElement;
  private readonly text = h('span', { class: 'background-text' });
  private readonly button = h('button', { class: 'secondary', type: 'button' });

  constructor(run: (command: WebviewCommand) => void) {
    this.button.addEventListener('click', () => run('showSession'));
    this.element = h(
      'section',
      { class: 'background', role: 'status', 'aria-label': 'Background session' },
      this.text,
      this.button,
    );
    this.element.hidden = true;
  }

  update(state: ViewState): void {
    const line = backgroundLine(state);
    this.element.hidden = !line;
    if (!line) return;
    this.element.classList.toggle('running', !!state.background?.running);
    this.text.textContent = line.text;
    this.element.title = line.title;
    this.button.textContent = line.button;
  }
}
