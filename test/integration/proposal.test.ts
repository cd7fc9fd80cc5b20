// The final program as an inline proposal in the target editor: Accept is one undo step, Reject changes
// nothing. Observed as a person would: the CodeLenses, the buffer, the file on disk.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { decisionLenses, readBytes, startSolve, waitFor, waitForProposal, wsFile } from './helpers';

const SOLVED = 'a, b = map(int, input().split())\nprint(a + b)\n';

describe('inline proposal', () => {
  it('appears with Accept and Reject CodeLenses; until then the file is unchanged on disk and in the buffer', async () => {
    const original = readBytes('accept.py');
    await startSolve('accept.md');
    const uri = vscode.Uri.file(wsFile('accept.py'));
    const { accept, reject } = await waitForProposal(uri);
    assert.equal(typeof accept.arguments?.[0], 'string', 'the lens names its run');
    assert.deepEqual(reject.arguments, accept.arguments);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.ok(readBytes('accept.py').equals(original), 'file on disk unchanged while the proposal shows');
    assert.equal(doc.getText(), original.toString('utf8'), 'buffer unchanged while the proposal shows');
  });

  it('Accept (the CodeLens command) changes the file in one undo step', async () => {
    const uri = vscode.Uri.file(wsFile('accept.py'));
    const doc = await vscode.workspace.openTextDocument(uri);
    const original = doc.getText();
    const { accept } = await waitForProposal(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand(accept.command, ...(accept.arguments ?? []));
    await waitFor('the program in the buffer', () => doc.getText().includes(SOLVED));
    const left = await decisionLenses(uri);
    assert.ok(!left.accept && !left.reject, 'no Accept/Reject left after Accept');
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), original, 'one undo restores the text from before Accept');
  });

  it('Reject leaves the file byte for byte as it was, on disk and in the buffer', async () => {
    const original = readBytes('reject.py');
    await startSolve('reject.md');
    const uri = vscode.Uri.file(wsFile('reject.py'));
    const { reject } = await waitForProposal(uri);
    await vscode.commands.executeCommand(reject.command, ...(reject.arguments ?? []));
    await waitFor('the lenses to go', async () => !(await decisionLenses(uri)).reject);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.ok(readBytes('reject.py').equals(original), 'file on disk byte-identical');
    assert.ok(Buffer.from(doc.getText(), 'utf8').equals(original), 'buffer byte-identical (CRLF, no final newline)');
    assert.equal(doc.isDirty, false);
  });
});
