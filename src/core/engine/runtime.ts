import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatBytes } from './gguf';

// The engine's native half, node-llama-cpp, is not a dependency of the product: its normal install
// pulls every GPU variant (about 400 MB of tarballs, 740 MB unpacked). It is installed on first use
// into a runtime folder of its own, the pinned version and only this platform's CPU binary package,
// with npm, scripts off (nothing is compiled or downloaded later), and loaded from there by path.

/** Pinned: the same llama.cpp the test layer builds its llama-server from (test/servers/build.ts). */
export const RUNTIME_VERSION = '3.21.1';
const MARKER = 'installed.json';

interface Platform {
  /** The prebuilt binary package for this platform. */
  binary: string;
  /** node-llama-cpp's gpu option: false (CPU) wherever a CPU build is published. */
  gpu: false | 'metal';
}

const PLATFORMS: Record<string, Platform> = {
  'linux-x64': { binary: '@node-llama-cpp/linux-x64', gpu: false },
  'linux-arm64': { binary: '@node-llama-cpp/linux-arm64', gpu: false },
  'linux-arm': { binary: '@node-llama-cpp/linux-armv7l', gpu: false },
  'darwin-x64': { binary: '@node-llama-cpp/mac-x64', gpu: false },
  // Apple silicon's only published build is Metal's (it runs on the CPU too).
  'darwin-arm64': { binary: '@node-llama-cpp/mac-arm64-metal', gpu: 'metal' },
  'win32-x64': { binary: '@node-llama-cpp/win-x64', gpu: false },
  'win32-arm64': { binary: '@node-llama-cpp/win-arm64', gpu: false },
};

export function platformRuntime(platform = process.platform, arch = process.arch): Platform | undefined {
  return PLATFORMS[`${platform}-${arch}`];
}

export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

/** The folder of the pinned version under the runtime root (paths.runtimeDir()). */
export function versionDir(root: string): string {
  return join(root, RUNTIME_VERSION);
}

export function isInstalled(root: string): boolean {
  return existsSync(join(versionDir(root), MARKER));
}

/** How to add the runtime by hand, for the line that says it is missing. */
export function installHint(root: string): string {
  const p = platformRuntime();
  const pkgs = p ? `node-llama-cpp@${RUNTIME_VERSION} ${p.binary}@${RUNTIME_VERSION}` : `node-llama-cpp@${RUNTIME_VERSION}`;
  return `mapcoder-lite engine install (or: npm install --prefix ${versionDir(root)} --omit=optional --ignore-scripts ${pkgs})`;
}

export interface InstallProgress {
  /** Bytes on disk so far, and about how many there will be. */
  bytes: number;
  expected: number;
}

/**
 * node-llama-cpp without its GPU variants and the rest it needs, measured on linux-x64: 49.5 MB besides
 * the binary package (whose size the registry gives), before the source bundle goes.
 */
const BESIDES_BINARY = 49.5e6;
/** llama.cpp's source as a git bundle inside node-llama-cpp (34 MB): only a build from source reads it. */
const SOURCE_BUNDLE = join('node_modules', 'node-llama-cpp', 'llama', 'gitRelease.bundle');
const BINARY_FALLBACK = 30e6;

/** Installs the pinned runtime into `root` (npm from PATH); a half-done install is never used. */
export async function installRuntime(root: string, opts: { signal?: AbortSignal; onProgress?: (p: InstallProgress) => void; npm?: string; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  const p = platformRuntime();
  if (!p) throw new RuntimeError(`the local engine has no prebuilt binary for ${process.platform}-${process.arch}; use your own llama-server (--llama-server PATH)`);
  if (isInstalled(root)) return;
  const npm = opts.npm ?? (process.platform === 'win32' ? 'npm.cmd' : 'npm');
  const env = { ...(opts.env ?? process.env), NODE_LLAMA_CPP_SKIP_DOWNLOAD: 'true' };
  const staging = join(root, `.staging-${RUNTIME_VERSION}-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await writeFile(join(staging, 'package.json'), JSON.stringify({ name: 'mapcoder-lite-engine-runtime', private: true }));
  const expected = BESIDES_BINARY + ((await binarySize(npm, p.binary, env)) ?? BINARY_FALLBACK);
  const timer = setInterval(() => void folderSize(staging).then((bytes) => opts.onProgress?.({ bytes, expected })), 500);
  try {
    await run(npm, ['install', '--omit=optional', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error',
      `node-llama-cpp@${RUNTIME_VERSION}`, `${p.binary}@${RUNTIME_VERSION}`], staging, env, opts.signal);
    opts.onProgress?.({ bytes: expected, expected });
    await rm(join(staging, SOURCE_BUNDLE), { force: true });
    const bytes = await folderSize(staging);
    await writeFile(join(staging, MARKER), JSON.stringify({ version: RUNTIME_VERSION, binary: p.binary, bytes, at: new Date().toISOString() }));
    await rm(versionDir(root), { recursive: true, force: true });
    await rename(staging, versionDir(root));
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e instanceof RuntimeError ? e : new RuntimeError(`installing the engine runtime failed (${e instanceof Error ? e.message : String(e)}); by hand: ${installHint(root)}`);
  } finally {
    clearInterval(timer);
  }
}

async function binarySize(npm: string, pkg: string, env: NodeJS.ProcessEnv): Promise<number | undefined> {
  const out = await capture(npm, ['view', `${pkg}@${RUNTIME_VERSION}`, 'dist.unpackedSize', '--json'], env).catch(() => '');
  const n = Number(out.trim());
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], signal, shell: process.platform === 'win32' });
    let err = '';
    child.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
    child.on('error', (e) => reject((e as NodeJS.ErrnoException).code === 'ENOENT' ? new RuntimeError(`npm is not on PATH; the engine runtime is installed with it. By hand: ${installHint(join(cwd, '..'))}`) : e));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm exited ${code}: ${err.trim().split('\n').slice(-3).join(' ')}`))));
  });
}

function capture(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'ignore'], shell: process.platform === 'win32' });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
  });
}

async function folderSize(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  let total = 0;
  for (const e of entries) {
    if (!e.isFile()) continue;
    total += (await stat(join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/** The installed runtime's size on disk, from its marker. */
export async function installedSize(root: string): Promise<string | undefined> {
  const text = await readFile(join(versionDir(root), MARKER), 'utf8').catch(() => undefined);
  const bytes = text ? (JSON.parse(text) as { bytes?: number }).bytes : undefined;
  return bytes ? formatBytes(bytes) : undefined;
}

export interface Runtime {
  /** node-llama-cpp's module namespace. */
  nlc: unknown;
  /** @huggingface/jinja (node-llama-cpp's own dependency), for the model's chat template. */
  jinja: unknown;
  gpu: Platform['gpu'];
}

/** Loads node-llama-cpp from the runtime folder (by path: the product's bundle never contains it). */
export async function loadRuntime(root: string): Promise<Runtime> {
  const p = platformRuntime();
  if (!p) throw new RuntimeError(`the local engine has no prebuilt binary for ${process.platform}-${process.arch}`);
  if (!isInstalled(root)) throw new RuntimeError(`the engine runtime (node-llama-cpp ${RUNTIME_VERSION}) is not installed in ${root}: ${installHint(root)}`);
  const pkg = join(versionDir(root), 'node_modules', 'node-llama-cpp');
  const nlc: unknown = await import(pathToFileURL(join(pkg, 'dist', 'index.js')).href);
  const jinja: unknown = await import(pathToFileURL(createRequire(join(pkg, 'package.json')).resolve('@huggingface/jinja')).href);
  return { nlc, jinja, gpu: p.gpu };
}
