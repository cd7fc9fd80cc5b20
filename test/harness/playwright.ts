// playwright-core lives in the harness cache, not in the project's node_modules (it stays out of `npm ci`):
// load it from there, typed by the small part of its API the harness and the e2e run use.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHROMIUM, type Toolchain } from './toolchain';

export interface Locator {
  waitFor(o?: { state?: 'attached' | 'visible' | 'hidden' | 'detached'; timeout?: number }): Promise<void>;
  click(o?: { timeout?: number }): Promise<void>;
  innerText(o?: { timeout?: number }): Promise<string>;
  getAttribute(name: string): Promise<string | null>;
  count(): Promise<number>;
  first(): Locator;
  locator(selector: string): Locator;
  screenshot(o: { path: string }): Promise<Buffer>;
  boundingBox(): Promise<{ x: number; y: number; width: number; height: number } | null>;
  scrollIntoViewIfNeeded(o?: { timeout?: number }): Promise<void>;
}
export interface FrameLocator {
  frameLocator(selector: string): FrameLocator;
  locator(selector: string): Locator;
}
export interface Page {
  goto(url: string, o?: { timeout?: number }): Promise<unknown>;
  exposeFunction(name: string, fn: (...args: any[]) => unknown): Promise<void>;
  locator(selector: string): Locator;
  frameLocator(selector: string): FrameLocator;
  keyboard: { press(key: string): Promise<void>; type(text: string, o?: { delay?: number }): Promise<void> };
  mouse: { move(x: number, y: number, o?: { steps?: number }): Promise<void>; down(): Promise<void>; up(): Promise<void> };
  screenshot(o: { path: string; fullPage?: boolean }): Promise<Buffer>;
  waitForTimeout(ms: number): Promise<void>;
  on(event: 'pageerror', fn: (e: Error) => void): void;
}
export interface Browser {
  newPage(o?: { viewport?: { width: number; height: number } }): Promise<Page>;
  close(): Promise<void>;
}
interface PlaywrightCore {
  chromium: { launch(o: { executablePath: string; headless: boolean; args: string[]; env: NodeJS.ProcessEnv }): Promise<Browser> };
}

export function launchChromium(tc: Toolchain, runDir: string): Promise<Browser> {
  const { chromium } = require(tc.playwrightDir) as PlaywrightCore;
  const home = path.join(runDir, 'chromium');
  fs.mkdirSync(home, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Keeps Chromium's crash-report and cache folders out of ~/.config and ~/.cache.
    env: { ...process.env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_CACHE_HOME: path.join(home, 'cache'), TMPDIR: tc.tmp },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}
