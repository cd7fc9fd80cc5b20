// A real llama-server for the test layer, built offline: the llama.cpp source ships inside the npm
// package node-llama-cpp as a git bundle. The package is fetched with `npm pack` (the npm registry is
// the one network this needs), checked against the pinned integrity, and only the bundle is used; the
// build goes to a per-user cache keyed by the version and is reused once complete (cold: ~10-20 min on
// 2 cores). Then the tiny model and adapters are generated from code (make_model.py).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const LLAMA_PACKAGE = 'node-llama-cpp';
export const LLAMA_PACKAGE_VERSION = '3.21.1';
const INTEGRITY = 'sha512-E3N0Ev2Va0wzydvXYFwM9Hvyo07PoWjt8T/9GMc43Cvt8YkV/NU/tYUgEMC1grTPv2o9PRjQi0G3Wb5P/awiMg==';
/** Bumped when make_model.py changes what it writes. */
const MODEL_VERSION = 'models-v1';
const CMAKE_FLAGS = ['-DLLAMA_USE_PREBUILT_UI=OFF', '-DLLAMA_OPENSSL=OFF', '-DLLAMA_BUILD_TESTS=OFF', '-DLLAMA_BUILD_EXAMPLES=OFF', '-DCMAKE_BUILD_TYPE=Release'];

export interface LlamaBuild {
  server: string;
  models: { raw: string; clean: string; adapters: Record<'retrieval' | 'planning' | 'coding' | 'debugging', string> };
}

/** The cache folder: MAPCODER_LLAMA_CACHE, else the XDG cache folder's mapcoder-lite/. */
export function cacheDir(): string {
  const root = process.env.MAPCODER_LLAMA_CACHE ?? join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mapcoder-lite');
  return join(root, `llama-server-${LLAMA_PACKAGE}-${LLAMA_PACKAGE_VERSION}`);
}

function need(cmd: string, args: string[], hint: string): void {
  if (spawnSync(cmd, args, { stdio: 'ignore' }).status !== 0) throw new Error(`the real-server layer needs ${cmd}: ${hint}`);
}

function run(cmd: string, args: string[], cwd: string, logFile?: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (logFile) writeFileSync(logFile, `${r.stdout}\n${r.stderr}`, { flag: 'a' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${(r.stderr || r.stdout).slice(-3000)}`);
}

/** The llama.cpp tree from the pinned package's bundle (fetched and checked once). */
function source(dir: string, log: (s: string) => void): string {
  const src = join(dir, 'src');
  if (existsSync(join(src, 'CMakeLists.txt'))) return src;
  log(`fetching ${LLAMA_PACKAGE}@${LLAMA_PACKAGE_VERSION} for its llama.cpp source ...`);
  const pack = join(dir, 'pack');
  rmSync(pack, { recursive: true, force: true });
  mkdirSync(pack, { recursive: true });
  run('npm', ['pack', `${LLAMA_PACKAGE}@${LLAMA_PACKAGE_VERSION}`, '--pack-destination', pack, '--silent'], pack);
  const tgz = join(pack, readdirSync(pack).find((f) => f.endsWith('.tgz'))!);
  const digest = `sha512-${createHash('sha512').update(readFileSync(tgz)).digest('base64')}`;
  if (digest !== INTEGRITY) throw new Error(`${tgz}: integrity ${digest} is not the pinned ${INTEGRITY}`);
  run('tar', ['-xzf', tgz, '-C', pack, 'package/llama/gitRelease.bundle'], pack);
  rmSync(src, { recursive: true, force: true });
  run('git', ['clone', '--quiet', join(pack, 'package/llama/gitRelease.bundle'), src], dir);
  rmSync(pack, { recursive: true, force: true });
  return src;
}

/** Builds (or finds) llama-server and the tiny models. Resumes an interrupted build. */
export function ensureLlama(log: (s: string) => void = () => undefined): LlamaBuild {
  const dir = cacheDir();
  mkdirSync(dir, { recursive: true });
  const src = source(dir, log);
  const server = join(src, 'build', 'bin', 'llama-server');
  const done = join(dir, 'built');
  if (!existsSync(done) || !existsSync(server)) {
    need('cmake', ['--version'], 'apt-get install cmake');
    need('c++', ['--version'], 'a C++ compiler (apt-get install g++)');
    log(`building llama-server into ${dir} (once; ~10-20 min on 2 cores) ...`);
    const started = Date.now();
    if (!existsSync(join(src, 'build', 'CMakeCache.txt'))) run('cmake', ['-B', 'build', ...CMAKE_FLAGS], src, join(dir, 'cmake.log'));
    run('cmake', ['--build', 'build', '--target', 'llama-server', `-j${process.env.MAPCODER_LLAMA_JOBS ?? '2'}`], src, join(dir, 'build.log'));
    writeFileSync(done, `${new Date().toISOString()} ${Math.round((Date.now() - started) / 1000)} s\n`);
  }
  const models = join(dir, MODEL_VERSION);
  const names = { raw: join(models, 'tiny-raw.gguf'), clean: join(models, 'tiny-clean.gguf') };
  const agents = ['retrieval', 'planning', 'coding', 'debugging'] as const;
  const adapters = Object.fromEntries(agents.map((a) => [a, join(models, `${a}.gguf`)])) as LlamaBuild['models']['adapters'];
  if (!existsSync(join(models, 'made'))) {
    need('python3', ['-c', 'import numpy'], 'python3 with numpy (apt-get install python3-numpy)');
    log('making the tiny model and its four adapters ...');
    execFileSync('python3', [join(__dirname, 'make_model.py'), src, models], { stdio: ['ignore', 'ignore', 'pipe'] });
    writeFileSync(join(models, 'made'), `${new Date().toISOString()}\n`);
  }
  return { server, models: { ...names, adapters } };
}
