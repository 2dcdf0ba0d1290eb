/**
 * Drives the VS Code 1.100 web workbench of a {@link CodeServer} with Debian chromium through
 * playwright-core: open, wait, open files, read squiggles / Problems / notifications, run
 * commands, find webviews, save screenshots. Selectors: /work/shared/vscode-e2e.md.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { launchChromium } from './chromium';
import { waitFor as waitForFact } from '../../waitFor';
import { screenshotsDir } from './paths';

/** An open browser on the workbench; `close()` ends chromium. */
export interface Workbench {
  readonly browser: Browser;
  readonly page: Page;
  close(): Promise<void>;
}

/** Options of {@link openWorkbench}. */
export interface OpenOptions {
  /** Payload pairs for the workbench URL (extensionDevelopmentPath, extensionTestsPath, ...). */
  payload?: [string, string][];
  /** Console lines of the workbench and the extension host (`codeAutomationLog`). */
  onLog?: (type: string, text: string) => void;
  /** Called with the exit code when the extension tests finish (`codeAutomationExit`). */
  onExit?: (code: number) => void;
  /** Wait until the explorer shows the folder (default true when a folder is open). */
  waitReady?: boolean;
}

/** Launches chromium (fresh profile) and opens the workbench of `server`. */
export async function openWorkbench(
  server: CodeServer,
  options: OpenOptions = {},
): Promise<Workbench> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    // Both hooks must exist before the workbench loads: it looks for them at start.
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      options.onLog?.(type, format(...(Array.isArray(args) ? args : [args])));
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => options.onExit?.(code));
    await page.goto(server.workbenchUrl(options.payload), { waitUntil: 'domcontentloaded' });
    if (options.waitReady ?? Boolean(server.workspace)) await waitForWorkbench(page);
    return { browser, page, close: () => browser.close() };
  } catch (err) {
    await browser.close();
    throw err;
  }
}

/** Resolves when the explorer lists the opened folder's files (the workbench is usable). */
export async function waitForWorkbench(page: Page, timeout = 90_000): Promise<void> {
  await page
    .locator('.explorer-folders-view .monaco-list-row')
    .first()
    .waitFor({ state: 'visible', timeout });
}

/** Opens a workspace file by (part of) its name with Quick Open (Ctrl+P); waits for its tab. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(name);
  // Wait for a result row before Enter, else Enter can act on an empty list.
  await page.locator('.quick-input-widget .monaco-list-row').first().waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
  const base = name.split('/').pop() ?? name;
  await page
    .locator(`.tabs-container .tab[aria-label^="${base}"]`)
    .first()
    .waitFor({ state: 'visible' });
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor();
}

/** Locator of the squiggles of one kind in the visible editors. */
export function squiggles(
  page: Page,
  kind: 'error' | 'warning' | 'info' | 'hint' = 'warning',
): Locator {
  return page.locator(`.monaco-editor .squiggly-${kind}`);
}

/** Opens the Problems panel (Ctrl+Shift+M) and returns its row locator. */
export async function openProblems(page: Page): Promise<Locator> {
  const rows = problemRows(page);
  if (!(await page.locator('.markers-panel').isVisible())) {
    await page.keyboard.press('Control+Shift+M');
  }
  await page.locator('.markers-panel').waitFor({ state: 'visible' });
  return rows;
}

/** Rows of the Problems panel (file rows and marker rows). */
export function problemRows(page: Page): Locator {
  return page.locator('.markers-panel .monaco-list-row');
}

/** Texts of the Problems panel rows, e.g. "⚠ message loop-lens(rule-id) [Ln 3, Col 5]". */
export async function problemTexts(page: Page): Promise<string[]> {
  return (await problemRows(page).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Locator of the notification toasts currently shown. */
export function notifications(page: Page): Locator {
  return page.locator('.notifications-toasts .notification-toast');
}

/** Runs a command palette entry by its title (F1, type, Enter). */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page
    .locator('.quick-input-widget .monaco-list-row', { hasText: title })
    .first()
    .waitFor({ state: 'visible' });
  await page.keyboard.press('Enter');
}

/** Focuses the first editor group and moves its cursor to a 1-based line and column (Ctrl+G). */
export async function goToLine(page: Page, line: number, column = 1): Promise<void> {
  // Ctrl+G acts on the focused editor: focus it first (a panel may hold the focus).
  await page.keyboard.press('Control+1');
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/**
 * Opens the light-bulb menu (Ctrl+.) at the cursor and returns its locator. Retries: while the
 * built-in TypeScript server is still initializing, an early Ctrl+. can stay unanswered.
 */
export async function openQuickFixMenu(page: Page, timeout = 90_000): Promise<Locator> {
  const menu = page.locator('.action-widget');
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    await page.keyboard.press('Control+.');
    const shown = await menu
      .waitFor({ state: 'visible', timeout: 8_000 })
      .then(() => true)
      .catch(() => false);
    if (shown) return menu;
    await page.keyboard.press('Escape');
  }
  throw new Error(`the quick fix menu (Ctrl+.) did not open within ${timeout} ms`);
}

/**
 * Picks the entry of an open action menu (light bulb, Ctrl+.) whose text matches, with the
 * keyboard as a person would (arrows, Enter): mouse clicks on its rows are unreliable headless.
 */
export async function pickMenuEntry(menu: Locator, text: RegExp): Promise<void> {
  const page = menu.page();
  await menu.locator('.monaco-list-row', { hasText: text }).first().waitFor({ state: 'visible' });
  const rows = await menu.locator('.monaco-list-row').count();
  for (let i = 0; i <= rows; i++) {
    const focused = menu.locator('.monaco-list-row.focused');
    if ((await focused.count()) && text.test(await focused.first().innerText())) {
      await page.keyboard.press('Enter');
      await menu.waitFor({ state: 'hidden' });
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no entry matching ${text} could be focused in the menu`);
}

/** The content frame of the active webview (sidebar views, panels). */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Saves a full-page screenshot as `.artifacts/screenshots/<name>.png`; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotsDir, { recursive: true });
  const file = join(screenshotsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Waits until `probe` returns a truthy value (test/waitFor.ts); a probe that throws is retried. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeout = 60_000,
  what = 'condition',
): Promise<T> {
  let last: unknown;
  const tolerant = async () => {
    try {
      return (await probe()) || false;
    } catch (err) {
      last = err;
      return false;
    }
  };
  return waitForFact(tolerant, what, timeout).catch((e: Error) => {
    throw new Error(`${e.message}${last ? `: ${String(last)}` : ''}`);
  }) as Promise<T>;
}

/**
 * After a click that opens a blamed line: waits for `fileName`'s editor tab, the cursor on `line`
 * (status bar "Ln N,") and Loop Lens's heat decoration in the editor's view overlays.
 */
export async function waitForHeatedLine(page: Page, fileName: string, line: number): Promise<void> {
  await page
    .locator(`.tabs-container .tab[aria-label^="${fileName}"]`)
    .first()
    .waitFor({ state: 'visible' });
  const selection = page.locator('#status\\.editor\\.selection');
  await waitFor(
    async () => (await selection.innerText()).includes(`Ln ${line},`),
    30_000,
    `cursor on line ${line}`,
  );
  await waitFor(
    () => page.locator('.monaco-editor .view-overlays div[class*="ced-"]').count(),
    30_000,
    'a heat decoration',
  );
}
