// The final program as an inline proposal in the target editor: Accept is one undo step, Reject changes nothing.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { api, readBytes, solveFile, waitFor, wsFile, type TestApi } from './helpers';

const SOLVED = 'print(a + b)';

async function proposalFor(a: TestApi, statement: string, target: string) {
  const original = readBytes(target);
  const run = await solveFile(a, statement);
  assert.equal(run.status, 'passed', `run ended ${run.status}: ${run.result?.error ?? ''}`);
  await waitFor('the proposal to show', () => a.store.get(run.meta.runId)?.proposal === 'showing');
  const doc = await vscode.workspace.openTextDocument(wsFile(target));
  return { run, original, doc };
}

/** The Accept/Reject CodeLenses VS Code resolves for the document, as command ids. */
async function decisionLenses(uri: vscode.Uri): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  return lenses.map((l) => l.command?.command ?? '').filter((c) => c === 'mapcoderLite.accept' || c === 'mapcoderLite.reject').sort();
}

describe('inline proposal', () => {
  let a: TestApi;
  before(async () => { a = await api(); });

  it('appears with Accept and Reject CodeLenses; until then the file is unchanged on disk and in the buffer', async () => {
    const { original, doc } = await proposalFor(a, 'accept.md', 'accept.py');
    assert.deepEqual(await decisionLenses(doc.uri), ['mapcoderLite.accept', 'mapcoderLite.reject']);
    assert.ok(readBytes('accept.py').equals(original), 'file on disk unchanged while the proposal shows');
    assert.equal(doc.getText(), original.toString('utf8'), 'buffer unchanged while the proposal shows');
  });

  it('Accept changes the file in one undo step', async () => {
    const run = a.store.current()!;
    const original = readBytes('accept.py').toString('utf8');
    const doc = await vscode.workspace.openTextDocument(wsFile('accept.py'));
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('mapcoderLite.accept', run.meta.runId);
    await waitFor('the program in the buffer', () => doc.getText().includes(SOLVED));
    await waitFor('the run to record the accept', () => a.store.get(run.meta.runId)?.proposal === 'accepted');
    assert.deepEqual(await decisionLenses(doc.uri), [], 'no CodeLens left after Accept');
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), original, 'one undo restores the text from before Accept');
  });

  it('Reject leaves the file byte for byte as it was, on disk and in the buffer', async () => {
    const { run, original, doc } = await proposalFor(a, 'reject.md', 'reject.py');
    await vscode.commands.executeCommand('mapcoderLite.reject', run.meta.runId);
    await waitFor('the run to record the reject', () => a.store.get(run.meta.runId)?.proposal === 'rejected');
    assert.ok(readBytes('reject.py').equals(original), 'file on disk byte-identical');
    assert.ok(Buffer.from(doc.getText(), 'utf8').equals(original), 'buffer byte-identical (CRLF, no final newline)');
    assert.equal(doc.isDirty, false);
    assert.deepEqual(await decisionLenses(doc.uri), [], 'no CodeLens left after Reject');
  });
});
