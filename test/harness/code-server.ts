// Starts code-server (the real VS Code server + web workbench) on Node 24, in its own process group and
// with every config, data and temp path inside the run's folder, so nothing lands in ~ or /tmp.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { log } from './log';
import type { Toolchain } from './toolchain';

export interface ServerOptions {
  /** Folder owned by this run: user data, extensions, XDG dirs, logs. */
  runDir: string;
  /** User settings.json content. */
  settings: Record<string, unknown>;
  /** The built workbench honours the URL test payload only with the smoke-test driver on. */
  smokeTestDriver: boolean;
  /** false passes --disable-workspace-trust (every folder trusted); true leaves trust to the settings. */
  workspaceTrust: boolean;
  /** Extra environment for the server; it reaches the extension host (the URL payload's environment does not). */
  env?: NodeJS.ProcessEnv;
}

export interface RunningServer {
  origin: string;
  host: string;
  pid: number;
  stop(): Promise<void>;
}

// Servers still running, killed if the harness itself is interrupted (Ctrl+C, a CI time-out).
const live = new Set<number>();
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    for (const pid of live) signalGroup(pid, 'SIGKILL');
    process.exit(130);
  });
}

export const userDataDir = (runDir: string) => path.join(runDir, 'user');
export const extensionsDir = (runDir: string) => path.join(runDir, 'extensions');

function serverArgs(tc: Toolchain, o: ServerOptions): string[] {
  return [
    tc.codeServerEntry,
    '--bind-addr', '127.0.0.1:0',
    '--auth', 'none',
    '--user-data-dir', userDataDir(o.runDir),
    '--extensions-dir', extensionsDir(o.runDir),
    '--config', path.join(o.runDir, 'code-server.yaml'),
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened',
    ...(o.workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...(o.smokeTestDriver ? ['--vscode-option=enable-smoke-test-driver'] : []),
  ];
}

function serverEnv(tc: Toolchain, o: ServerOptions): NodeJS.ProcessEnv {
  const xdg = path.join(o.runDir, 'xdg');
  return {
    ...process.env,
    PATH: `${path.dirname(tc.nodeBin)}:${process.env.PATH}`,
    TMPDIR: tc.tmp,
    XDG_CONFIG_HOME: path.join(xdg, 'config'), XDG_DATA_HOME: path.join(xdg, 'data'),
    XDG_CACHE_HOME: path.join(xdg, 'cache'), XDG_STATE_HOME: path.join(xdg, 'state'),
    EXTENSIONS_GALLERY: '{}', // no marketplace: one failing open-vsx query otherwise
    ...o.env,
  };
}

export function writeUserSettings(runDir: string, settings: Record<string, unknown>): void {
  const dir = path.join(userDataDir(runDir), 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** Settings that keep the workbench quiet and offline. */
export const baseSettings: Record<string, unknown> = {
  'telemetry.telemetryLevel': 'off', 'update.mode': 'none',
  'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none', 'workbench.enableExperiments': false, 'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true, 'git.enabled': false, 'npm.autoDetect': 'off',
  'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never',
  // DOM renderer: the terminal's text is then readable from the page.
  'terminal.integrated.gpuAcceleration': 'off',
};

export function startServer(tc: Toolchain, o: ServerOptions): Promise<RunningServer> {
  fs.mkdirSync(o.runDir, { recursive: true });
  writeUserSettings(o.runDir, o.settings);
  const logFile = path.join(o.runDir, 'server.log');
  const out = fs.openSync(logFile, 'w');
  const child: ChildProcess = spawn(tc.nodeBin, serverArgs(tc, o), {
    env: serverEnv(tc, o), stdio: ['ignore', 'pipe', out], detached: true,
  });
  const pid = child.pid!;
  live.add(pid);
  const stop = () => killGroup(child).finally(() => live.delete(pid));
  return new Promise((resolve, reject) => {
    let buffer = '';
    let up = false;
    const timer = setTimeout(() => { void stop(); reject(new Error(`code-server did not start in 60 s; see ${logFile}`)); }, 60_000);
    timer.unref();
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`code-server exited (${code}); see ${logFile}`)); });
    child.stdout!.on('data', (d: Buffer) => {
      fs.writeSync(out, d);
      if (up) return;
      buffer += d.toString();
      const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:(\d+))\//.exec(buffer);
      if (m) {
        up = true;
        clearTimeout(timer);
        log(`code-server up at ${m[1]} (pid ${pid})`);
        resolve({ origin: m[1], host: `127.0.0.1:${m[2]}`, pid, stop });
      }
    });
  });
}

/** SIGTERM to the whole group (wrapper, server, extension host, pty host, their children), SIGKILL after 5 s. */
export function killGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return killRest(pid);
  return new Promise((resolve) => {
    const hard = setTimeout(() => { signalGroup(pid, 'SIGKILL'); }, 5000);
    child.once('exit', () => { clearTimeout(hard); void killRest(pid).then(resolve); });
    signalGroup(pid, 'SIGTERM');
  });
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try { process.kill(-pid, sig); } catch { /* group already gone */ }
}

/** The group leader has exited; what is left in its group gets 3 s to follow, then SIGKILL. */
async function killRest(pid: number | undefined): Promise<void> {
  if (pid === undefined) return;
  const left = () => spawnSync('pgrep', ['-g', String(pid)], { encoding: 'utf8' }).stdout.trim();
  for (let i = 0; i < 30 && left(); i++) await new Promise((r) => setTimeout(r, 100));
  const stuck = left();
  if (stuck) {
    log(`killing leftover processes of group ${pid}: ${stuck.split('\n').join(' ')}`);
    signalGroup(pid, 'SIGKILL');
  }
}
