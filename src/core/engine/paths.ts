import { homedir } from 'node:os';
import { join } from 'node:path';

// Where the local engine keeps its things, per user: the models cache, the runtime (node-llama-cpp),
// and the lock file and log of the one engine this user's windows and commands share.

/** The user's cache folder: XDG_CACHE_HOME or ~/.cache; ~/Library/Caches on macOS; LOCALAPPDATA on Windows. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.XDG_CACHE_HOME) return env.XDG_CACHE_HOME;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches');
  if (platform === 'win32') return env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local');
  return join(homedir(), '.cache');
}

/** Downloaded models and adapters: MAPCODER_MODELS_DIR, else <cache>/mapcoder-lite/models. */
export function modelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MAPCODER_MODELS_DIR || join(userCacheDir(env), 'mapcoder-lite', 'models');
}

/**
 * The shared engine's lock file and log: MAPCODER_ENGINE_DIR, else XDG_RUNTIME_DIR (per user, private,
 * emptied at logout: a lock never outlives the session), else <cache>/mapcoder-lite/engine.
 */
export function engineDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MAPCODER_ENGINE_DIR) return env.MAPCODER_ENGINE_DIR;
  if (env.XDG_RUNTIME_DIR) return join(env.XDG_RUNTIME_DIR, 'mapcoder-lite');
  return join(userCacheDir(env), 'mapcoder-lite', 'engine');
}

/** Where node-llama-cpp is installed for the engine: MAPCODER_ENGINE_RUNTIME, else under the cache. */
export function runtimeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MAPCODER_ENGINE_RUNTIME || join(userCacheDir(env), 'mapcoder-lite', 'engine-runtime');
}
