import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, openInEditor, waitFor, waitForProposal, wsFile } from './helpers';

// A first solve with nothing installed: no endpoint answers, Solve offers the local model in one
// notification, "Start Local Model" starts the product's own engine (the engine layer's tiny random
// model and its four adapters, on this editor's runtime) and the run ends with a proposal. Then the
// engine is stopped and nothing of it is left.

const START = 'Start Local Model';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('Solve with no endpoint: Start Local Model', function () {
  this.timeout(300_000);
  const model = process.env.MAPCODER_IT_TINY_MODEL;
  const engineDir = process.env.MAPCODER_ENGINE_DIR;
  const statement = 'local-sum.md';
  const program = 'local-sum.py';
  const keys = ['endpoint', 'engine', 'local.model', 'local.adapters', 'maxTokens', 't', 'k'];
  const win = vscode.window as { showInformationMessage: (...a: unknown[]) => Thenable<unknown> };
  const original = win.showInformationMessage;
  const offers: { message: string; actions: string[] }[] = [];

  before(async () => {
    assert.ok(model && engineDir, 'the harness passes the tiny model and an engine folder of the run');
    const cfg = vscode.workspace.getConfiguration('mapcoderLite');
    const values: Record<string, unknown> = {
      endpoint: `http://127.0.0.1:${await closedPort()}/v1`, engine: 'auto', 'local.model': model,
      'local.adapters': JSON.parse(process.env.MAPCODER_IT_TINY_ADAPTERS ?? '{}'), maxTokens: 48, t: 1, k: 1,
    };
    for (const key of keys) await cfg.update(key, values[key], vscode.ConfigurationTarget.Workspace);
    fs.writeFileSync(wsFile(statement), '# Local sum\n\nPrint a + b.\n\n## Input\n\n```input\n1 2\n```\n\n## Output\n\n```output\n3\n```\n');
    fs.writeFileSync(wsFile(program), 'print(0)\n');
    // The one notification is answered as a person would: its first action.
    win.showInformationMessage = (message: unknown, ...rest: unknown[]) => {
      const actions = rest.filter((x): x is string => typeof x === 'string');
      if (typeof message === 'string' && /nothing answers at/.test(message)) {
        offers.push({ message, actions });
        return Promise.resolve(actions.includes(START) ? START : undefined);
      }
      return original.call(vscode.window, message, ...rest);
    };
  });

  after(async () => {
    win.showInformationMessage = original;
    await vscode.commands.executeCommand('mapcoderLite.stopLocalModel');
    const cfg = vscode.workspace.getConfiguration('mapcoderLite');
    for (const key of keys) await cfg.update(key, undefined, vscode.ConfigurationTarget.Workspace);
    for (const f of [statement, program]) fs.rmSync(wsFile(f), { force: true });
  });

  it('offers the local model once, starts it, and the run ends with a proposal served by the adapters', async () => {
    const a = await api();
    const before = new Set(a.store.list().map((r) => r.runId));
    await openInEditor(program);
    void Promise.resolve(vscode.commands.executeCommand('mapcoderLite.solve')).catch((e: unknown) => console.error('solve failed:', e));
    const summary = await waitFor('the run on the local model to start', () => a.store.list().find((r) => !before.has(r.runId)), 240_000);
    const run = await waitFor('the run to end', () => {
      const s = a.store.get(summary.runId);
      return s && s.status !== 'running' ? s : undefined;
    }, 240_000);
    assert.equal(offers.length, 1, JSON.stringify(offers));
    assert.deepEqual(offers[0].actions, [START, 'Choose a Model...']);
    assert.ok(['passed', 'partial', 'failed'].includes(run.status), `${run.status}: ${run.result?.message}`);
    assert.ok(run.calls.length >= 4 && run.calls.every((c) => c.status !== 'failed'), JSON.stringify(run.calls.map((c) => [c.status, c.error])));
    // Each agent's reply names the adapter that answered it.
    assert.match(run.steps.retrieval.models.join(' '), /retrieval/);
    assert.match(run.steps.coding.models.join(' '), /coding/);
    const { reject } = await waitForProposal(vscode.Uri.file(wsFile(program)));
    assert.equal(a.localModel(), true, 'this window holds the engine');
    await vscode.commands.executeCommand(reject.command, ...(reject.arguments ?? []));
  });

  it('Stop Local Model ends the engine for good: its process and its lock are gone', async () => {
    const lockFile = path.join(engineDir!, 'engine.json');
    const { pid } = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as { pid: number };
    assert.ok(alive(pid));
    await vscode.commands.executeCommand('mapcoderLite.stopLocalModel');
    await waitFor('the engine process to end', () => !alive(pid), 20_000);
    assert.equal(fs.existsSync(lockFile), false);
    assert.equal((await api()).localModel(), false);
  });
});
