// Cancel while the judge runs a program that never ends: the run stops and no process is left behind.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { api, descendants, openInEditor, waitFor } from './helpers';

const isProgram = (cmd: string) => /python/.test(cmd);
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

describe('Cancel', () => {
  it('stops a run whose program never ends and leaves no child process of the extension host', async () => {
    const a = await api();
    const host = process.pid;
    const before = new Set(descendants(host).map((p) => p.pid));
    const previous = a.store.current()?.meta.runId;
    await openInEditor('slow.md');
    void vscode.commands.executeCommand('mapcoderLite.solve');
    const program = await waitFor('the judge to run the endless program',
      () => descendants(host).find((p) => !before.has(p.pid) && isProgram(p.cmd)), 60_000);
    const run = a.store.current()!;
    assert.notEqual(run.meta.runId, previous);

    await vscode.commands.executeCommand('mapcoderLite.cancel');
    await waitFor('the run to end cancelled', () => a.store.get(run.meta.runId)?.status === 'cancelled', 15_000);
    await waitFor(`program pid ${program.pid} to be gone`, () => !alive(program.pid), 10_000);
    const left = descendants(host).filter((p) => !before.has(p.pid) && isProgram(p.cmd));
    assert.deepEqual(left, [], 'no program left running below the extension host');
  });
});
