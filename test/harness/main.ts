// One command per layer:  tsx test/harness/main.ts integration | e2e
// Installs (or reuses) the toolchain, builds, starts the scripted endpoint, runs the layer in a real VS Code,
// prints the layer's closing line `N passed, N failed` alone, and exits non-zero on any failure.
import * as path from 'node:path';
import { buildExtension, buildIntegrationSuites } from './build';
import { runE2e } from './e2e-runner';
import { runExtensionTests, type Counts } from './extension-tests';
import { EXECUTED_MARKER, startScriptedLlm } from './llm-script';
import { log, seconds } from './log';
import { extensionSettings, freshRunDir } from './session';
import { ensureToolchain, repoRoot, type Toolchain } from './toolchain';
import { ensureLlama, type LlamaBuild } from '../servers/build';
import { runtimeDir } from '../../src/core/engine/paths';
import { startServer } from '../servers/server';

async function integration(tc: Toolchain): Promise<Counts> {
  buildExtension();
  const testsPath = await buildIntegrationSuites();
  const total: Counts = { passed: 0, failed: 0, exitCode: 0 };
  // A real llama-server for real-server.test.ts (built by `npm run test:servers`, which runs first in npm test).
  const build = ensureLlama(log);
  const real = await startServer(build, { model: 'clean', adapters: true });
  try {
    await sessions(tc, testsPath, total, real.baseUrl, build);
  } finally {
    await real.stop();
  }
  return total;
}

/**
 * What local-model.test.ts runs the editor's local engine with: the tiny model and adapters, the engine
 * runtime the engine layer installed (the server's XDG cache is the run's own), and a lock folder of the run's.
 */
function localEngineEnv(build: LlamaBuild, runDir: string): NodeJS.ProcessEnv {
  return {
    MAPCODER_IT_TINY_MODEL: build.models.clean, MAPCODER_IT_TINY_ADAPTERS: JSON.stringify(build.models.adapters),
    MAPCODER_ENGINE_RUNTIME: runtimeDir(), MAPCODER_ENGINE_DIR: path.join(runDir, 'engine'),
  };
}

async function sessions(tc: Toolchain, testsPath: string, total: Counts, llamaUrl: string, build: LlamaBuild): Promise<void> {
  // Trusted folder first (every suite but one), then an untrusted folder (the suite that checks nothing runs).
  for (const trust of ['trusted', 'untrusted'] as const) {
    const { runDir, workspace } = freshRunDir(tc, `integration-${trust}`);
    const llm = await startScriptedLlm(workspace, { tokenDelayMs: 2 });
    try {
      const settings = { ...extensionSettings(llm.url), 'security.workspace.trust.enabled': trust === 'untrusted' };
      const c = await runExtensionTests(tc, {
        label: trust, runDir, workspace, extensionPath: repoRoot, testsPath, settings,
        workspaceTrust: trust === 'untrusted',
        // The trusted session also starts the local engine and solves on it (local-model.test.ts): about 80 s more on 2 busy cores.
        timeoutMs: trust === 'trusted' ? 600_000 : undefined,
        env: { MAPCODER_IT_WORKSPACE: trust, MAPCODER_IT_MARKER: path.join(workspace, EXECUTED_MARKER), MAPCODER_IT_LLAMA: llamaUrl, ...localEngineEnv(build, runDir) },
      });
      total.passed += c.passed;
      total.failed += c.failed;
      // A session that died before mocha reported still fails the layer.
      if (c.exitCode !== 0) total.exitCode = c.exitCode;
      if (c.exitCode !== 0 && c.failed === 0) total.failed += 1;
    } finally {
      await llm.close();
    }
  }
}

async function e2e(tc: Toolchain): Promise<Counts> {
  buildExtension();
  const { runDir, workspace } = freshRunDir(tc, 'e2e');
  // Slow streaming, so the steps are seen filling in (and caught mid-run by a screenshot).
  const llm = await startScriptedLlm(workspace, { tokenDelayMs: 40 });
  try {
    return await runE2e(tc, { runDir, workspace, settings: extensionSettings(llm.url) });
  } finally {
    await llm.close();
  }
}

async function main(): Promise<number> {
  const layer = process.argv[2];
  if (layer !== 'integration' && layer !== 'e2e') {
    console.error('usage: tsx test/harness/main.ts integration|e2e');
    return 2;
  }
  const t0 = Date.now();
  const tc = ensureToolchain();
  log(`toolchain ready in ${seconds(t0)} (cache ${tc.cache})`);
  const t1 = Date.now();
  const counts = await (layer === 'integration' ? integration(tc) : e2e(tc));
  log(`${layer} layer ran in ${seconds(t1)}; ${seconds(t0)} in all`);
  console.log(`${counts.passed} passed, ${counts.failed} failed`);
  return counts.exitCode !== 0 || counts.failed > 0 ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
