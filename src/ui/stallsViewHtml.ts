/**
 * The HTML of the "Event Loop" webview. No `vscode` import: the provider passes the URIs it made
 * with `asWebviewUri`, and the Chromium test renders the very same page.
 */
import { randomBytes } from 'node:crypto';

export interface StallsViewHtmlOptions {
  /** `webview.cspSource`: the origin local resources are served from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** Fresh per render; tests may pass their own. */
  nonce?: string;
}

/** A random nonce for the `script-src` of the CSP (base64, 128 bits). */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The page: a strict CSP, one stylesheet and one nonce'd script, no inline code or styles. */
export function renderStallsViewHtml(o: StallsViewHtmlOptions): string {
  const nonce = o.nonce ?? makeNonce();
  const csp = [
    "default-src 'none'",
    `style-src ${o.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${o.cspSource} data:`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}">
<title>Event Loop</title>
</head>
<body>
<script nonce="${attr(nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}
