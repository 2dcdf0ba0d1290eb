/** GET /render?name=: a personalised page. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { query, sendHtml } from '../http';
import { render } from '../views';

export async function handleRender(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const name = query(req).get('name') ?? 'guest';
  // Blocks: render() → loadTemplate() → readFileSync, on every request.
  const html = render('page', {
    title: 'Your orders',
    name,
    count: String(name.length),
    time: new Date().toISOString(),
  });
  sendHtml(res, html);
}
