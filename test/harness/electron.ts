// `npm run test:electron`: the same integration suites in desktop VS Code through @vscode/test-electron,
// for machines that can download VS Code (it fails at once offline: the download host does not resolve).
// Only the trusted session runs here: test-electron always passes --disable-workspace-trust, so the
// untrusted suite runs on the code-server route alone.
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildExtension, buildIntegrationSuites } from './build';
import { writeUserSettings } from './code-server';
import { EXECUTED_MARKER, startScriptedLlm } from './llm-script';
import { extensionSettings, freshRunDir } from './session';
import { cacheRoot, repoRoot } from './toolchain';

async function main(): Promise<number> {
  buildExtension();
  const testsPath = await buildIntegrationSuites();
  const { runDir, workspace } = freshRunDir({ cache: cacheRoot() }, 'electron');
  const llm = await startScriptedLlm(workspace, { tokenDelayMs: 2 });
  try {
    writeUserSettings(runDir, extensionSettings(llm.url));
    await runTests({
      version: process.env.MAPCODER_VSCODE_VERSION ?? 'stable',
      cachePath: path.join(cacheRoot(), 'electron'),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: testsPath,
      extensionTestsEnv: { MAPCODER_IT_WORKSPACE: 'trusted', MAPCODER_IT_MARKER: path.join(workspace, EXECUTED_MARKER) },
      launchArgs: [workspace, '--user-data-dir', path.join(runDir, 'user'), '--extensions-dir', path.join(runDir, 'extensions')],
    });
    return 0;
  } finally {
    await llm.close();
  }
}

main().then((code) => { process.exitCode = code; }, (e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  console.log('0 passed, 1 failed');
  process.exitCode = 1;
});
