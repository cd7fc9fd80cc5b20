// Cancel while the judge runs a program that never ends: the program and everything it started are gone.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { descendants, openInEditor, sleep, startSolve, waitFor } from './helpers';

// The judge's run of the program, not its py_compile check (a pyenv shim execs python in the same pid).
const isProgram = (cmd: string) => /\bmain\.py\b/.test(cmd) && !/py_compile/.test(cmd);
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

describe('Cancel', () => {
  it('stops a run whose program never ends and leaves no child process of the extension host', async () => {
    const host = process.pid;
    // Opening a Markdown file may start VS Code's own Markdown language server: let that happen first.
    await openInEditor('slow.md');
    await sleep(1500);
    const before = new Set(descendants(host).map((p) => p.pid));
    await startSolve('slow.md');
    const program = await waitFor('the judge to run the endless program',
      () => descendants(host).find((p) => !before.has(p.pid) && isProgram(p.cmd)), 60_000);
    // Let it run past the default 2 s limit: only the statement's 30 s limit or Cancel may stop it.
    await sleep(3000);
    assert.ok(alive(program.pid), 'the program still runs before Cancel');
    await vscode.commands.executeCommand('mapcoderLite.cancel');
    await waitFor(`program pid ${program.pid} to be gone`, () => !alive(program.pid), 10_000);
    const left = descendants(host).filter((p) => !before.has(p.pid));
    assert.deepEqual(left, [], 'nothing the run started is left below the extension host');
  });
});
