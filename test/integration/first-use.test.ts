import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { extension, waitFor, wsFile } from './helpers';

describe('first use: the getting-started walkthrough', () => {
  const example = wsFile('mapcoder-lite-example/sum-of-two.md');
  after(() => fs.rmSync(wsFile('mapcoder-lite-example'), { recursive: true, force: true }));

  it('contributes a walkthrough whose steps run contributed commands and show packaged media', () => {
    const pkg = extension().packageJSON;
    const [walk] = pkg.contributes.walkthroughs;
    assert.deepEqual(walk.steps.map((s: { id: string }) => s.id), ['chooseServer', 'startLocal', 'checkServer', 'solveExample']);
    const commands = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
    for (const step of walk.steps) {
      assert.ok(fs.existsSync(vscode.Uri.joinPath(extension().extensionUri, step.media.markdown).fsPath), step.media.markdown);
      for (const [, id] of String(step.description).matchAll(/\(command:(mapcoderLite\.[A-Za-z]+)/g)) assert.ok(commands.has(id), id);
    }
  });

  it('opens the example problem in the workspace, and never overwrites it when opened again', async () => {
    await vscode.commands.executeCommand('mapcoderLite.openExample');
    const editor = await waitFor('the example in the editor', () => vscode.window.activeTextEditor?.document.uri.fsPath === example && vscode.window.activeTextEditor);
    assert.match(editor.document.getText(), /^# A\. Sum of Two/);
    assert.match(editor.document.getText(), /```input\n1 2\n```/);
    fs.writeFileSync(example, '# my own notes\n');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.commands.executeCommand('mapcoderLite.openExample');
    await waitFor('the example again', () => vscode.window.activeTextEditor?.document.uri.fsPath === example);
    assert.equal(fs.readFileSync(example, 'utf8'), '# my own notes\n');
  });
});
