// Builds what the workbench loads: the extension (the project's own esbuild.mjs) and the integration suites
// (one CommonJS bundle per suite next to the mocha entry; `vscode` comes from the host, mocha from the
// project's node_modules).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { log, seconds } from './log';
import { repoRoot } from './toolchain';

export const integrationOutDir = path.join(repoRoot, 'out', 'test', 'integration');

/** MAPCODER_E2E_SKIP_BUILD=1 runs the dist/ that is there (a developer's watch build, say). */
export function buildExtension(): void {
  const t0 = Date.now();
  if (process.env.MAPCODER_E2E_SKIP_BUILD === '1') {
    if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) throw new Error('MAPCODER_E2E_SKIP_BUILD=1 but dist/extension.js is missing');
    log('using dist/ as it is (MAPCODER_E2E_SKIP_BUILD=1)');
    return;
  }
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('node esbuild.mjs failed');
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js was not built: src/extension/main.ts is missing');
  }
  log(`extension built in ${seconds(t0)}`);
}

export async function buildIntegrationSuites(): Promise<string> {
  const t0 = Date.now();
  const dir = path.join(repoRoot, 'test', 'integration');
  const entries = fs.readdirSync(dir).filter((f) => f === 'index.ts' || f.endsWith('.test.ts')).map((f) => path.join(dir, f));
  fs.rmSync(integrationOutDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: entries, outdir: integrationOutDir, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode', 'mocha'], sourcemap: 'inline', logLevel: 'warning',
  });
  log(`${entries.length - 1} integration suites bundled in ${seconds(t0)}`);
  return path.join(integrationOutDir, 'index');
}
