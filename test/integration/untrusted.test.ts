// Runs alone, in a workbench opened on a folder that is not trusted (see index.ts and the harness).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { descendants, extension, openInEditor, sleep, wsFile } from './helpers';

// The scripted program for untrusted.md and the code in untrusted.py write this file when executed.
const MARKER = 'EXECUTED-BY-JUDGE';

/** Runs `command`, watching for 8 s that no process starts below the extension host and the marker never appears. */
async function executesNothing(command: string): Promise<void> {
  const host = process.pid;
  const before = new Set(descendants(host).map((p) => p.pid));
  const started: string[] = [];
  // The command may refuse (an error message) or never settle (a modal); either way nothing may run.
  void Promise.resolve(vscode.commands.executeCommand(command)).catch(() => undefined);
  for (let i = 0; i < 40; i++) {
    for (const p of descendants(host)) if (!before.has(p.pid) && /python/.test(p.cmd)) started.push(p.cmd);
    await sleep(200);
  }
  assert.deepEqual(started, [], `${command} started no program`);
  assert.equal(fs.existsSync(wsFile(MARKER)), false, `${command} executed no code`);
}

describe('untrusted workspace', () => {
  it('is opened untrusted, and the extension declares limited support', () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.equal(extension().packageJSON.capabilities?.untrustedWorkspaces?.supported, 'limited');
  });

  it('does not listen for Competitive Companion', async () => {
    const a = await extension().activate() as { companion(): number | undefined };
    await sleep(500);
    assert.equal(a.companion(), undefined);
  });

  it('Solve executes no code', async () => {
    await openInEditor('untrusted.md');
    await executesNothing('mapcoderLite.solve');
  });

  it('Run Sample Tests on Current Code executes no code', async () => {
    await openInEditor('untrusted.py');
    await executesNothing('mapcoderLite.runSamples');
  });
});
