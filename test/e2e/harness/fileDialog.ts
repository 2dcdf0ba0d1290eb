/**
 * Answers VS Code's simple file dialog (the quick input code-server shows for
 * `showOpenDialog`) the way a careful user does: wait until the dialog has settled, enter the
 * path, check that the dialog still holds it, accept, and check that the dialog closed.
 *
 * How the dialog behaves (VS Code 1.100.3, SimpleFileDialog.pickResource / updateItems): it opens
 * showing the PARENT of its start folder (which already ends in '/') with an empty list, reads
 * the start folder in the background, and only then fills the list and replaces the input's
 * value with the start folder, whatever was typed meanwhile. Until then it is busy, and an Enter
 * pressed while busy is held and then accepts that replaced value (a folder: the dialog stays
 * open). So "the value ends in '/'" is no sign of a settled dialog; "the list has rows and the
 * value no longer changes" is.
 */
import type { Page } from 'playwright-core';
import { waitFor } from './workbench';

/** What the dialog shows at one poll. */
interface DialogState {
  open: boolean;
  value: string;
  rows: number;
  /** The validation message under the input ("Please select a file.", ...), or ''. */
  message: string;
}

/** Consecutive identical polls (200 ms apart) that count as "no longer changing". */
const steadyPolls = 3;

async function readDialog(page: Page): Promise<DialogState> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  if (!(await input.isVisible())) return { open: false, value: '', rows: 0, message: '' };
  return {
    open: true,
    value: await input.inputValue({ timeout: 5_000 }),
    rows: await widget.locator('.quick-input-list .monaco-list-row').count(),
    message: ((await widget.locator('.quick-input-message').textContent()) ?? '').trim(),
  };
}

/**
 * Polls the dialog until `done` holds for a state that stayed the same over {@link steadyPolls}
 * polls; returns that state. The error names the last state seen.
 */
async function waitForSteady(
  page: Page,
  done: (s: DialogState) => boolean,
  deadline: number,
  what: string,
): Promise<DialogState> {
  let last = '';
  let same = 0;
  try {
    return await waitFor(
      async () => {
        const state = await readDialog(page);
        const key = JSON.stringify(state);
        same = key === last ? same + 1 : 1;
        last = key;
        return same >= steadyPolls && done(state) ? state : undefined;
      },
      Math.max(deadline - Date.now(), 1_000),
      what,
    );
  } catch (err) {
    throw new Error(`${String(err)} (the dialog last showed ${last || 'nothing'})`);
  }
}

/**
 * Answers the open simple file dialog with the absolute path `file` and waits until it closed.
 * When the dialog replaced the path before it was accepted, the path is entered again (at most
 * `attempts` times, each one checked); a path the dialog rejects throws with its message.
 */
export async function pickFileInDialog(
  page: Page,
  file: string,
  timeout = 60_000,
  attempts = 3,
): Promise<void> {
  const deadline = Date.now() + timeout;
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout });
  await waitForSteady(
    page,
    (s) => s.open && s.rows > 0 && s.value.endsWith('/'),
    deadline,
    'the file dialog to list its start folder',
  );
  const seen: string[] = [];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await input.fill(file);
    const held = await waitForSteady(page, () => true, deadline, `the dialog to hold ${file}`);
    if (held.open && held.value === file) {
      await page.keyboard.press('Enter');
      const after = await waitForSteady(
        page,
        (s) => !s.open || s.value !== file || s.message !== '',
        deadline,
        'the file dialog to close',
      );
      if (!after.open) {
        // Visible in the test output: how often the settle wait above was not enough.
        if (seen.length) console.warn(`file dialog: path entered again after: ${seen.join('; ')}`);
        return;
      }
      if (after.value === file) {
        throw new Error(`the file dialog refused ${file}: ${after.message}`);
      }
      seen.push(`after Enter: ${after.value}`);
    } else {
      if (!held.open) throw new Error(`the file dialog closed before ${file} was accepted`);
      seen.push(`before Enter: ${held.value}`);
    }
  }
  throw new Error(
    `the file dialog replaced ${file} on each of ${attempts} attempts (${seen.join('; ')})`,
  );
}
