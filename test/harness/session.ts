// What every session of a layer starts from: a fresh run folder with a copy of the fixture workspace, and
// the settings that point the extension at the scripted endpoint.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { baseSettings } from './code-server';
import { repoRoot, type Toolchain } from './toolchain';

const FIXTURE_WORKSPACE = path.join(repoRoot, 'test', 'fixtures', 'workspace');

/** A fresh folder per session under the cache (the previous one is replaced): data dirs and the workspace copy. */
export function freshRunDir(tc: Pick<Toolchain, 'cache'>, label: string): { runDir: string; workspace: string } {
  const runDir = path.join(tc.cache, 'runs', label);
  fs.rmSync(runDir, { recursive: true, force: true });
  const workspace = path.join(runDir, 'workspace');
  fs.cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  return { runDir, workspace };
}

/** What the extension reads: the scripted endpoint and a language, so no quick pick blocks a run. */
export function extensionSettings(endpoint: string): Record<string, unknown> {
  return {
    ...baseSettings,
    'mapcoderLite.endpoint': endpoint,
    'mapcoderLite.defaultLanguage': 'python3',
    // The scripted endpoint answers three exemplars and three plans.
    'mapcoderLite.k': 3,
    // Its coding replies are scripted for the four agents; the stress test turns stress tests on itself.
    'mapcoderLite.stressTests': 0,
  };
}
