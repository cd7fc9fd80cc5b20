// A person's run, in order (the harness bails at the first failing step): open the statement and the
// Agents panel, Solve from F1, watch the Agents panel fill in, see the verdicts in the judge terminal, Accept with the CodeLens, save.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2e } from '../harness/e2e-runner';
import { panel, runCommand } from './ui';

const STEPS = ['retrieval', 'planning', 'coding', 'debugging'] as const;

describe('Solve a statement from the command palette', () => {
  it('opens the workbench on the folder', async () => {
    await e2e().page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 90_000 });
    await e2e().page.locator('.explorer-folders-view .monaco-list-row[aria-label^="sum.md"]').waitFor({ timeout: 30_000 });
  });

  it('opens sum.md in an editor', async () => {
    const { page } = e2e();
    await page.locator('.explorer-folders-view .monaco-list-row[aria-label^="sum.md"]').click();
    await page.locator('.tabs-container .tab[aria-label^="sum.md"]').waitFor({ timeout: 20_000 });
    await page.locator('.monaco-editor .view-lines:has-text("Sum of Two")').waitFor({ timeout: 20_000 });
  });

  it('opens the MapCoder-Lite side panel from the activity bar (empty until a run)', async () => {
    await e2e().page.locator('.activitybar [aria-label^="MapCoder-Lite"]').first().click();
    await panel().locator('[data-testid="empty-state"]').waitFor({ timeout: 30_000 });
  });

  it('runs "MapCoder-Lite: Solve Problem in Active Editor" from F1', async () => {
    await runCommand('MapCoder-Lite: Solve Problem in Active Editor');
  });

  it('shows the steps filling in, live, in the Agents panel (screenshot mid-run)', async () => {
    const { page, artifacts } = e2e();
    await panel().locator('[data-step="retrieval"]').waitFor({ timeout: 30_000 });
    // A reply streaming into a step: the live text block exists only while a call runs.
    await panel().locator('[data-testid="live-text"]').first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(artifacts, '1-panel-mid-run.png') });
    const running = await panel().locator('[data-step][data-status="running"]').count();
    assert.ok(running >= 1, 'a step is running while its reply streams');
  });

  it('ends with retrieval, planning and coding done, debugging skipped, and the run passed', async () => {
    await panel().locator('[data-testid="final-bar"][data-status="passed"]').waitFor({ timeout: 60_000 });
    const statuses: Record<string, string | null> = {};
    for (const s of STEPS) statuses[s] = await panel().locator(`[data-step="${s}"]`).getAttribute('data-status');
    assert.deepEqual(statuses, { retrieval: 'done', planning: 'done', coding: 'done', debugging: 'skipped' });
    assert.equal(await panel().locator('[data-testid="plan"]').count(), 3);
    assert.match(await panel().locator('[data-testid="final-summary"]').innerText(), /Passed 2\/2/);
  });

  it('prints each sample\'s verdict in the "MapCoder-Lite Judge" terminal', async () => {
    const { page } = e2e();
    // Solve does not reveal the terminal panel: open it, as a person would, on the only terminal there is.
    await runCommand('View: Toggle Terminal');
    await page.locator('.terminal-wrapper.active').waitFor({ timeout: 20_000 });
    // The DOM renderer (gpuAcceleration off in the harness settings) keeps the terminal's text in the page.
    const rows = page.locator('.terminal-wrapper.active .xterm-rows');
    let text = '';
    for (let i = 0; i < 100 && !/sample\s+2\s+AC/.test(text); i++) {
      text = await rows.innerText().catch(() => '');
      await page.waitForTimeout(200);
    }
    assert.match(text, /sample\s+1\s+AC/);
    assert.match(text, /sample\s+2\s+AC/);
  });

  it('accepts the proposal with its CodeLens (screenshot after Accept)', async () => {
    const { page, artifacts } = e2e();
    const accept = page.locator('.codelens-decoration a:has-text("Accept")').first();
    await accept.waitFor({ timeout: 30_000 });
    await accept.click();
    await page.locator('.tabs-container .tab[aria-label^="sum.py"]').waitFor({ timeout: 20_000 });
    await page.locator('.monaco-editor .view-lines:has-text("print(a + b)")').first().waitFor({ timeout: 20_000 });
    await panel().locator('[data-testid="final-bar"][data-proposal="accepted"]').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(artifacts, '2-after-accept.png') });
  });

  it('has the program in sum.py on disk once saved', async () => {
    const { page, workspace } = e2e();
    const file = path.join(workspace, 'sum.py');
    await page.keyboard.press('Control+S');
    for (let i = 0; i < 100 && !(fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('print(a + b)')); i++) await page.waitForTimeout(100);
    assert.equal(fs.readFileSync(file, 'utf8'), 'a, b = map(int, input().split())\nprint(a + b)\n');
  });
});
