// What a person does after the first solve (sum.py was just accepted and saved): run the samples on the
// accepted file, solve again from the panel, and cancel a run whose program never ends.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { e2e } from '../harness/e2e-runner';
import { panel, quickOpen, runCommand } from './ui';

/**
 * Processes running a program of this workbench's judge (its work folders are named mapcoder-lite-judge-*):
 * descendants of its code-server only, since other sessions on the machine may be judging programs too.
 */
function judged(): string[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' }).split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  const parent = new Map(rows.map((m) => [Number(m[1]), Number(m[2])]));
  const ours = (pid: number) => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = parent.get(p) ?? 0, hops++) if (p === e2e().serverPid) return true;
    return false;
  };
  return rows.filter((m) => /mapcoder-lite-judge-[^ ]*\/.*main\.py/.test(m[3]) && ours(Number(m[1]))).map((m) => m[3]);
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await e2e().page.waitForTimeout(200);
  }
}

describe('After the first solve', () => {
  it('runs the samples on the accepted sum.py: all pass', async () => {
    const { page } = e2e();
    await page.locator('.tabs-container .tab.active[aria-label^="sum.py"]').waitFor({ timeout: 20_000 });
    await runCommand('MapCoder-Lite: Run Sample Tests on Current Code');
    await page.locator('.notifications-toasts :text("all 2 sample tests pass")').first().waitFor({ timeout: 30_000 });
  });

  it('solves again from the panel\'s New run: a second run in the history, passed', async () => {
    await panel().locator('[data-testid="solve-again"]').click();
    await panel().locator('[data-testid="cancel"]').waitFor({ timeout: 20_000 }).catch(() => undefined); // may already be over
    await panel().locator('[data-testid="final-bar"][data-status="passed"]').waitFor({ timeout: 60_000 });
    assert.ok((await panel().locator('[data-testid="history"] option').count()) >= 2, 'both runs are in the history');
  });

  it('cancels a run whose program never ends: the run says cancelled and its program is gone', async () => {
    await quickOpen('slow.md', 'Never Finishes');
    await runCommand('MapCoder-Lite: Solve Problem in Active Editor');
    await until('the judge to run the endless program', () => judged().length > 0);
    await panel().locator('[data-testid="cancel"]').click();
    await panel().locator('[data-testid="final-bar"][data-status="cancelled"]').waitFor({ timeout: 30_000 });
    await until('the program to die with the run', () => judged().length === 0, 10_000);
    assert.equal(await panel().locator('[data-step="coding"]').getAttribute('data-status'), 'failed', 'the step whose program was being tested is not checked off');
  });
});
