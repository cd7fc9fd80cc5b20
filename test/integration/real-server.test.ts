import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { api, solveFile, wsFile } from './helpers';

// The extension's Solve against a real llama-server (the tiny random model of the real-server layer,
// four LoRA adapters): garbage replies, real wire format. The run must end on its own, never in error.
describe('Solve against a real llama-server', function () {
  this.timeout(120_000);
  const url = process.env.MAPCODER_IT_LLAMA;
  const settings: [string, unknown][] = [['endpoint', url], ['backend', 'llamacpp'], ['maxTokens', 48], ['t', 1]];
  const statement = 'real-server-sum.md';

  before(async function () {
    assert.ok(url, 'the harness starts a real llama-server and passes its URL');
    const cfg = vscode.workspace.getConfiguration('mapcoderLite');
    for (const [key, value] of settings) await cfg.update(key, value, vscode.ConfigurationTarget.Workspace);
    fs.writeFileSync(wsFile(statement), '# Real sum\n\nPrint a + b.\n\n## Input\n\n```input\n1 2\n```\n\n## Output\n\n```output\n3\n```\n');
  });
  after(async () => {
    const cfg = vscode.workspace.getConfiguration('mapcoderLite');
    for (const [key] of settings) await cfg.update(key, undefined, vscode.ConfigurationTarget.Workspace);
    fs.rmSync(wsFile(statement), { force: true });
  });

  it('runs the four agents to the end on the real server, each on its adapter, with constrained replies', async () => {
    const run = await solveFile(await api(), statement);
    assert.ok(['passed', 'partial', 'failed'].includes(run.status), `${run.status}: ${run.result?.message}`);
    assert.ok(run.calls.length >= 4, `${run.calls.length} calls`);
    assert.ok(run.calls.every((c) => c.status !== 'failed'), JSON.stringify(run.calls.filter((c) => c.status === 'failed').map((c) => c.error)));
    assert.match(run.steps.retrieval.models.join(' '), /tiny-clean\.gguf/, 'the server named its model');
  });
});
