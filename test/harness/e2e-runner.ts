// The browser-driven layer: the extension installed as a user has it (no test payload, no smoke-test driver),
// the workbench opened on the fixture folder in Chromium, and the mocha suites of test/e2e/ driving the page.
// Suites reach the page through `e2e` (set here before they run; same module instance under tsx).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { extensionsDir, startServer } from './code-server';
import type { Counts } from './extension-tests';
import { installExtensionCopy } from './install-extension';
import { log, seconds } from './log';
import { launchChromium, type Page } from './playwright';
import { repoRoot, type Toolchain } from './toolchain';

export interface E2eContext {
  page: Page;
  workspace: string;
  /** Screenshots and page dumps land here (gitignored). */
  artifacts: string;
  /** The code-server process: the extension host and every program it judges descend from it. */
  serverPid: number;
}

let current: E2eContext | undefined;

/** The running workbench, for the suites in test/e2e/. */
export function e2e(): E2eContext {
  if (!current) throw new Error('test/e2e suites run through `tsx test/harness/main.ts e2e`');
  return current;
}

export async function runE2e(tc: Toolchain, o: { runDir: string; workspace: string; settings: Record<string, unknown> }): Promise<Counts> {
  const t0 = Date.now();
  const installed = installExtensionCopy(extensionsDir(o.runDir));
  log(`extension copied to ${installed}`);
  const artifacts = path.join(repoRoot, 'test-artifacts', 'e2e');
  fs.rmSync(artifacts, { recursive: true, force: true });
  fs.mkdirSync(artifacts, { recursive: true });

  const server = await startServer(tc, { runDir: o.runDir, settings: o.settings, smokeTestDriver: false, workspaceTrust: false });
  const browser = await launchChromium(tc, o.runDir).catch(async (e) => { await server.stop(); throw e; });
  const counts: Counts = { passed: 0, failed: 0, exitCode: 1 };
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('pageerror', (e) => log('page error:', e.message));
    await page.goto(`${server.origin}/?folder=${encodeURIComponent(o.workspace)}`);
    current = { page, workspace: o.workspace, artifacts, serverPid: server.pid };

    const dir = path.join(repoRoot, 'test', 'e2e');
    const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 90_000, bail: true, color: false });
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.e2e.ts')).sort()) mocha.addFile(path.join(dir, f));
    await new Promise<void>((resolve) => {
      const runner = mocha.run((failures) => {
        counts.passed = runner.stats?.passes ?? 0;
        // With bail, the steps after a failure never run: count them as failed too.
        counts.failed = runner.total - counts.passed;
        counts.exitCode = failures > 0 || counts.failed > 0 ? 1 : 0;
        resolve();
      });
    });
    if (counts.exitCode !== 0) await page.screenshot({ path: path.join(artifacts, 'failure.png') }).catch(() => undefined);
  } finally {
    current = undefined;
    await browser.close().catch(() => undefined);
    await server.stop();
  }
  log(`e2e finished in ${seconds(t0)}; screenshots in ${artifacts}`);
  return counts;
}
