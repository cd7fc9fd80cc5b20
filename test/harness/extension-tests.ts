// Runs mocha inside the real extension host: the workbench's test payload (extensionDevelopmentPath +
// extensionTestsPath) is honoured by the built workbench only with the smoke-test driver on; the host's
// console comes back through window.codeAutomationLog and the run's exit code through codeAutomationExit.
import * as path from 'node:path';
import { format } from 'node:util';
import { startServer } from './code-server';
import { log, seconds } from './log';
import { launchChromium } from './playwright';
import type { Toolchain } from './toolchain';

export interface ExtensionTestRun {
  label: string;
  runDir: string;
  workspace: string;
  extensionPath: string;
  /** Module exporting run(): Promise<void>, without the .js suffix. */
  testsPath: string;
  settings: Record<string, unknown>;
  workspaceTrust: boolean;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export interface Counts { passed: number; failed: number; exitCode: number }

// Workbench chatter that says nothing about the extension under test.
const NOISE = /Ignoring fetching additional builtin|Creating a socket|connection token|AccountPolicyGate|Service Worker|grace time|AgentHost|Updating additional builtin|ChatSessionStore|Creation of workbench contribution|authentication provider 'github'|vsda_bg\.wasm|\[Extension Host\] \(node:\d+\) \[DEP/;

export async function runExtensionTests(tc: Toolchain, run: ExtensionTestRun): Promise<Counts> {
  const t0 = Date.now();
  const server = await startServer(tc, {
    runDir: run.runDir, settings: run.settings, smokeTestDriver: true, workspaceTrust: run.workspaceTrust, env: run.env,
  });
  const browser = await launchChromium(tc, run.runDir).catch(async (e) => { await server.stop(); throw e; });
  const counts: Counts = { passed: 0, failed: 0, exitCode: 1 };
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let finish!: (code: number) => void;
    const finished = new Promise<number>((r) => (finish = r));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const line = format(...args);
      const m = /^(\d+) passed, (\d+) failed/.exec(line);
      if (m) {
        counts.passed = Number(m[1]);
        counts.failed = Number(m[2]);
        log(`[${run.label}] ${line}`);
      } else if (!NOISE.test(line)) {
        console.log(line);
      }
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    const remote = (p: string) => `vscode-remote://${server.host}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(run.extensionPath)],
      ['extensionTestsPath', remote(run.testsPath)],
      ['skipWelcome', 'true'],
    ]);
    await page.goto(`${server.origin}/?folder=${encodeURIComponent(run.workspace)}&payload=${encodeURIComponent(payload)}`);
    const limit = run.timeoutMs ?? 300_000;
    let timer: NodeJS.Timeout | undefined;
    counts.exitCode = await Promise.race([
      finished,
      new Promise<number>((r) => { timer = setTimeout(() => { log(`[${run.label}] no exit code after ${limit / 1000} s`); r(124); }, limit); }),
    ]);
    clearTimeout(timer);
    if (counts.exitCode !== 0) {
      await page.screenshot({ path: path.join(run.runDir, 'failure.png') }).catch(() => undefined);
    }
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
  }
  log(`[${run.label}] extension host exit code ${counts.exitCode} after ${seconds(t0)}`);
  return counts;
}
