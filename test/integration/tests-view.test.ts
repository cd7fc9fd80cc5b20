// The Tests view in a real VS Code: the samples and the user's own tests, run on the current program,
// added, deleted; a stress-test input kept as a test; Solve and Run Sample Tests use them too.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { api, openInEditor, solveFile, waitFor, wsFile, type TestApi } from './helpers';

describe('Tests view', () => {
  let a: TestApi;
  before(async () => { a = await api(); });

  it('lists the statement\'s samples, then the tests of yours from <name>.tests.md', async () => {
    await openInEditor('mytests.md');
    const rows = await waitFor('the tests of mytests.md', () => (a.tests().some((r) => r.sample.input === '-5 5\n') ? a.tests() : undefined));
    assert.deepEqual(rows.map((r) => [r.sample.input, r.yours]), [['1 2\n', undefined], ['-5 5\n', 0]]);
  });

  it('runs every test on the program beside the statement: a verdict per test, expected beside actual', async () => {
    await vscode.commands.executeCommand('mapcoderLite.tests.runAll');
    const rows = await waitFor('verdicts', () => (a.tests().every((r) => r.result) ? a.tests() : undefined));
    assert.deepEqual(rows.map((r) => r.result?.verdict), ['AC', 'WA']);
    assert.equal(rows[1].result?.actual, '1\n');
    await vscode.commands.executeCommand('mapcoderLite.tests.compare', rows[1]);
    const diff = await waitFor('the diff editor', () => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputTextDiff ? true : undefined);
    assert.ok(diff);
  });

  it('adds a test at the end of the tests file, ready to type, and deletes one of yours', async () => {
    await openInEditor('mytests.md');
    await waitFor('the view on mytests.md', () => (a.tests().length === 2 ? true : undefined));
    await vscode.commands.executeCommand('mapcoderLite.tests.add');
    const editor = await waitFor('the tests file', () => (vscode.window.activeTextEditor?.document.uri.fsPath === wsFile('mytests.tests.md') ? vscode.window.activeTextEditor : undefined));
    assert.match(editor.document.getText(), /## Test 2\n\n```input\n\n```\n\n```output\n\n```\n$/);
    assert.equal(editor.document.lineAt(editor.selection.active.line - 1).text, '```input', 'the cursor waits on the new input line');
    await editor.edit((e) => e.insert(editor.selection.active, '2 2'));
    const outputLine = editor.document.getText().split('\n').lastIndexOf('```output') + 1;
    await editor.edit((e) => e.insert(new vscode.Position(outputLine, 0), '4'));
    await editor.document.save();
    const rows = await waitFor('three tests', () => (a.tests().length === 3 ? a.tests() : undefined));
    assert.deepEqual(rows.map((r) => r.sample.input), ['1 2\n', '-5 5\n', '2 2\n']);
    await vscode.commands.executeCommand('mapcoderLite.tests.delete', rows[1]);
    await waitFor('the deleted test gone', () => (a.tests().length === 2 ? true : undefined));
    const text = fs.readFileSync(wsFile('mytests.tests.md'), 'utf8');
    assert.ok(!text.includes('-5 5') && text.includes('2 2'), text);
  });

  it('a tests file changed outside VS Code is read again when its problem is opened', async () => {
    fs.writeFileSync(wsFile('mytests.tests.md'), '# Tests\n\n## Test 1\n\n```input\n-5 5\n```\n\n```output\n0\n```\n');
    await openInEditor('mytests.md');
    const rows = await waitFor('the view on mytests.md', () => (a.tests().length === 2 ? a.tests() : undefined));
    assert.equal(rows[1].yours, 0);
  });

  it('a stress-test input is kept as a test with one click, once', async () => {
    const config = vscode.workspace.getConfiguration('mapcoderLite');
    await config.update('stressTests', 12, vscode.ConfigurationTarget.Workspace);
    try {
      const run = await solveFile(a, 'keep.md');
      const x = run.stress?.[0]?.counterexample;
      assert.ok(x, 'the run found an input');
      await vscode.commands.executeCommand('mapcoderLite.keepStressTest', run.meta.runId, 0);
      await vscode.commands.executeCommand('mapcoderLite.keepStressTest', run.meta.runId, 0);
      const text = await waitFor('keep.tests.md', () => (fs.existsSync(wsFile('keep.tests.md')) ? fs.readFileSync(wsFile('keep.tests.md'), 'utf8') : undefined));
      assert.equal(text.split('```input').length - 1, 1, text);
      assert.ok(text.includes(x.input.trim()) && text.includes(x.expected.trim()));
    } finally {
      await config.update('stressTests', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
