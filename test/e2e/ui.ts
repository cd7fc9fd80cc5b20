// What a person does in the workbench, shared by the e2e suites.
import { e2e } from '../harness/e2e-runner';
import type { FrameLocator } from '../harness/playwright';

/** The Agents view's document: the webview's outer iframe, then its active inner frame. */
export const panel = (): FrameLocator => e2e().page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

/** A command from F1, picked by the row showing `pick` (by default the title after its category). */
export async function runCommand(title: string, pick?: string): Promise<void> {
  const { page } = e2e();
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.type(title);
  await page.locator(`.quick-input-list .monaco-list-row:has-text("${pick ?? title.split(': ').pop()}")`).first().waitFor({ timeout: 20_000 });
  await page.keyboard.press('Enter');
}

/** A workspace file opened by name through Quick Open (F1 without its ">"), waiting for `text` in the editor. */
export async function quickOpen(name: string, text: string): Promise<void> {
  const { page } = e2e();
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible' });
  await page.keyboard.press('Backspace');
  await page.keyboard.type(name);
  await page.locator(`.quick-input-list .monaco-list-row:has-text("${name}")`).first().waitFor({ timeout: 20_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.monaco-editor .view-lines:has-text("${text}")`).waitFor({ timeout: 20_000 });
}
