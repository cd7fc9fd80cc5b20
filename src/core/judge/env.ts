import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

// Variables that only tell toolchain launchers where their toolchain lives (pyenv shims, rustup
// proxies, JDK). Nothing secret; without them `python3` or `rustc` from a shim stops working.
const TOOLCHAIN_VARS = ['PYENV_ROOT', 'PYENV_VERSION', 'RUSTUP_HOME', 'RUSTUP_TOOLCHAIN', 'CARGO_HOME', 'JAVA_HOME'];

// Where those launchers look when the variable is unset: under the real HOME, which children don't get.
const HOME_DEFAULTS: Record<string, string> = { PYENV_ROOT: '.pyenv', RUSTUP_HOME: '.rustup', CARGO_HOME: '.cargo' };

/**
 * The environment for candidate programs and compilers: PATH, a locale, HOME and TMPDIR pointing at
 * `home` (a judge temp dir), and toolchain locations. Never the parent's API keys or tokens.
 */
export function scrubbedEnv(home: string, parent: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: parent.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: parent.LANG || 'C.UTF-8',
    HOME: home,
    TMPDIR: home,
  };
  for (const name of TOOLCHAIN_VARS) {
    if (parent[name]) env[name] = parent[name];
  }
  const realHome = parent.HOME || homedir();
  for (const [name, sub] of Object.entries(HOME_DEFAULTS)) {
    const dir = join(realHome, sub);
    if (!env[name] && existsSync(dir)) env[name] = dir;
  }
  if (process.platform === 'win32') {
    // Windows programs need these to start at all.
    for (const name of ['SystemRoot', 'COMSPEC', 'PATHEXT']) if (parent[name]) env[name] = parent[name];
    env.TEMP = env.TMP = home;
  }
  return env;
}
