/**
 * Serves the sidebar webview page to real Chromium the way VS Code does: the same HTML and CSP
 * (src/ui/stallsViewHtml.ts), the built media bundle and stylesheet, an `acquireVsCodeApi` that
 * records what the page posts, theme variables on <html>, host messages as window `message`s.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { after, before } from 'node:test';
import { build } from 'esbuild';
import { launchChromium } from './harness/chromium';
import type { Browser, Page } from 'playwright-core';
import { renderStallsViewHtml } from '../../src/ui/stallsViewHtml';
import type { FromWebviewMessage, ToWebviewMessage } from '../../src/shared/protocol/webview';
import type { Theme } from './webviewThemes';

export const repoRoot = join(__dirname, '..', '..');
export const screenshotsDir = join(repoRoot, '.artifacts', 'screenshots');

/**
 * The few browser globals the page-side functions below touch. The test tsconfig has no DOM lib
 * (it is Node code), and these functions are serialized into the page, so a cast is all it takes.
 */
interface PageWindow {
  __posted: FromWebviewMessage[];
  __csp: string[];
  postMessage(message: unknown, targetOrigin: string): void;
  document: PageDocument;
}
interface PageElement {
  dataset: Record<string, string | undefined>;
  className: string;
  style: Iterable<string> & {
    setProperty(name: string, value: string): void;
    removeProperty(name: string): void;
  };
}
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  } | null;
}
interface PageDocument {
  documentElement: PageElement;
  body: PageElement;
  getElementById(id: string): PageElement | null;
  querySelector(selector: string): unknown;
}

/** Builds media/dist/main.js exactly as esbuild.mjs does, so the test runs the current source. */
export async function buildMedia(): Promise<void> {
  await build({
    entryPoints: [join(repoRoot, 'media/src/main.ts')],
    outfile: join(repoRoot, 'media/dist/main.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: true,
    logLevel: 'warning',
  });
}

/** Serves `/` (the page) and files under media/ on 127.0.0.1. */
export async function servePage(): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') {
      const origin = `http://${req.headers.host}`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        renderStallsViewHtml({
          cspSource: origin,
          scriptUri: `${origin}/media/dist/main.js`,
          styleUri: `${origin}/media/styles/main.css`,
        }),
      );
      return;
    }
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^[/\\]+/, '');
    if (!rel.startsWith('media/') || rel.includes('..')) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(join(repoRoot, rel));
      const type = rel.endsWith('.css')
        ? 'text/css'
        : rel.endsWith('.js')
          ? 'text/javascript'
          : 'application/octet-stream';
      res.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return { origin: `http://127.0.0.1:${port}`, server };
}

export { launchChromium };

/** The page server and browser of one test file; read them inside tests only. */
export interface PageContext {
  browser: Browser;
  origin: string;
}

/**
 * Registers, for the enclosing file or `describe` block, the built webview bundle, the page server
 * and a chromium (before its tests) and their teardown (after them).
 */
export function pageOnChromium(): PageContext {
  const ctx = {} as PageContext;
  let server: Server | undefined;
  before(async () => {
    await buildMedia();
    ({ server, origin: ctx.origin } = await servePage());
    ctx.browser = await launchChromium();
  });
  after(async () => {
    await ctx.browser?.close();
    server?.close();
  });
  return ctx;
}

/**
 * Runs before the page's own script: the VS Code API stub and a CSP violation log. A string, not
 * a function: tsx adds `__name(...)` helpers to functions, which do not exist inside the page.
 */
const initScript = `
  (() => {
    const posted = [];
    const csp = [];
    let state;
    window.__posted = posted;
    window.__csp = csp;
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => { posted.push(m); },
      getState: () => state,
      setState: (s) => { state = s; },
    });
    document.addEventListener('securitypolicyviolation', (e) => {
      csp.push(e.violatedDirective + ' ' + e.blockedURI);
    });
  })();
`;

/** A page showing the webview at sidebar size; `ready` has been posted when this resolves. */
export async function openWebview(
  browser: Browser,
  origin: string,
  theme: Theme,
  width = 380,
): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.addInitScript({ content: initScript });
  await page.goto(origin);
  await applyTheme(page, theme);
  await page.waitForFunction(() =>
    (globalThis as unknown as PageWindow).__posted.some((m) => m.type === 'ready'),
  );
  return page;
}

/** Sets the theme as VS Code does (custom properties on <html>, a class on <body>). */
export async function applyTheme(page: Page, theme: Theme): Promise<void> {
  await page.evaluate(({ vars, bodyClass }) => {
    const doc = (globalThis as unknown as PageWindow).document;
    // VS Code replaces the whole set on a theme change: drop the previous theme's variables.
    const style = doc.documentElement.style;
    for (const name of Array.from(style).filter((n) => n.startsWith('--vscode-'))) {
      style.removeProperty(name);
    }
    for (const [k, v] of Object.entries(vars)) doc.documentElement.style.setProperty(k, v);
    doc.body.className = bodyClass;
  }, theme);
}

/** Delivers a host message the way the webview receives it. */
export async function post(page: Page, msg: ToWebviewMessage): Promise<void> {
  // As a JSON string: Playwright's own serialization of a 10,000-stall object takes seconds.
  await page.evaluate(
    (json) => (globalThis as unknown as PageWindow).postMessage(JSON.parse(json), '*'),
    JSON.stringify(msg),
  );
}

/** Posts a hydrate and waits until that generation is on screen. */
export async function hydrateAndWait(page: Page, msg: ToWebviewMessage): Promise<void> {
  const before = Number((await page.locator('#root').getAttribute('data-rendered')) ?? 0);
  await post(page, msg);
  await page.waitForFunction(
    (g) =>
      Number(
        (globalThis as unknown as PageWindow).document.getElementById('root')?.dataset.rendered ??
          0,
      ) > g,
    before,
  );
}

/**
 * Posts a message and resolves with the milliseconds, measured inside the page, until the view
 * rendered it (the root's `data-rendered` generation changed), animation frame included.
 */
export async function postTimed(page: Page, msg: ToWebviewMessage): Promise<number> {
  // A string script: tsx would wrap a named inner function in `__name`, unknown in the page.
  return page.evaluate(`new Promise((resolve) => {
    const root = document.getElementById('root');
    const before = root.dataset.rendered;
    const msg = ${JSON.stringify(JSON.stringify(msg))};
    const t0 = performance.now();
    window.postMessage(JSON.parse(msg), '*');
    const poll = () => (root.dataset.rendered !== before ? resolve(performance.now() - t0) : requestAnimationFrame(poll));
    poll();
  })`);
}

export async function posted(page: Page): Promise<FromWebviewMessage[]> {
  return page.evaluate(() => (globalThis as unknown as PageWindow).__posted.slice());
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (globalThis as unknown as PageWindow).__csp.slice());
}

/** Waits until the page has posted a message matching `pred`, and returns it. */
export async function waitForPosted(
  page: Page,
  pred: (m: FromWebviewMessage) => boolean,
  timeoutMs = 30_000,
): Promise<FromWebviewMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = (await posted(page)).find(pred);
    if (hit) return hit;
    if (Date.now() > deadline) {
      throw new Error(`no matching message; got ${JSON.stringify(await posted(page))}`);
    }
    await page.waitForTimeout(50);
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotsDir, { recursive: true });
  const file = join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Counts canvas pixels close to `rgb` (within `tol` per channel), from the real canvas bitmap. */
export async function countPixels(
  page: Page,
  selector: string,
  rgb: [number, number, number],
  tol = 24,
): Promise<number> {
  return page.evaluate(
    ({ selector, rgb, tol }) => {
      const c = (globalThis as unknown as PageWindow).document.querySelector(
        selector,
      ) as PageCanvas | null;
      const ctx = c?.getContext('2d');
      if (!c || !ctx) return -1;
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (
          d[i + 3]! > 200 &&
          Math.abs(d[i]! - rgb[0]) <= tol &&
          Math.abs(d[i + 1]! - rgb[1]) <= tol &&
          Math.abs(d[i + 2]! - rgb[2]) <= tol
        ) {
          n++;
        }
      }
      return n;
    },
    { selector, rgb, tol },
  );
}

export function hex(h: string): [number, number, number] {
  const n = parseInt(h.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * The page position of the first canvas pixel close to `rgb` (a bar's colour) on the row at CSS
 * pixel `cssY` of the canvas `selector`, or undefined when that row has none.
 */
export async function findBar(
  page: Page,
  selector: string,
  cssY: number,
  rgb: [number, number, number],
): Promise<{ x: number; y: number } | undefined> {
  return page.evaluate(
    ({ selector, cssY, rgb }) => {
      interface Canvas {
        width: number;
        clientWidth: number;
        getContext(k: '2d'): { getImageData(...a: number[]): { data: Uint8ClampedArray } };
        getBoundingClientRect(): { left: number; top: number };
      }
      const c = (globalThis as unknown as PageWindow).document.querySelector(selector) as Canvas;
      const dpr = c.width / c.clientWidth;
      const y = Math.round(cssY * dpr);
      const d = c.getContext('2d').getImageData(0, y, c.width, 1).data;
      for (let x = 0; x < c.width; x++) {
        const i = x * 4;
        if (Math.abs(d[i]! - rgb[0]) < 24 && Math.abs(d[i + 1]! - rgb[1]) < 24) {
          const r = c.getBoundingClientRect();
          return { x: r.left + x / dpr + 1, y: r.top + y / dpr };
        }
      }
      return undefined;
    },
    { selector, cssY, rgb },
  );
}
