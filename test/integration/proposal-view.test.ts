// How proposals present themselves: a new file's preview says it is proposed and opens in one reused
// editor group; Accept writes a new file to disk; a failing program is offered as "Keep anyway"; a long
// addition opens the diff view by itself.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { api, decisionLenses, openInEditor, solveFile, waitFor, wsFile, type TestApi } from './helpers';

const tabLabels = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));

describe('proposals, as they show', () => {
  let a: TestApi;
  before(async () => {
    a = await api();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('a statement file\'s program previews in a tab marked "(proposed)", and solve after solve reuses one editor group', async () => {
    await openInEditor('group-a.md');
    await solveFile(a, 'group-a.md');
    await waitFor('the preview of group-a.py', () => (tabLabels().some((l) => l.startsWith('group-a.py (proposed)')) ? true : undefined));
    const groups = vscode.window.tabGroups.all.length;
    await vscode.window.showTextDocument(vscode.Uri.file(wsFile('group-b.md')), { viewColumn: vscode.ViewColumn.One });
    await solveFile(a, 'group-b.md');
    await waitFor('the preview of group-b.py', () => (tabLabels().some((l) => l.startsWith('group-b.py (proposed)')) ? true : undefined));
    assert.equal(vscode.window.tabGroups.all.length, groups, `no new group: ${tabLabels().join(', ')}`);
    assert.ok(groups <= 2);
  });

  it('Accept writes a new file to disk at once, no save needed', async () => {
    const run = a.store.list().find((r) => r.title.includes('Ga.'))!;
    assert.equal(fs.existsSync(wsFile('group-a.py')), false);
    await waitFor('the proposal', () => (a.store.get(run.runId)?.proposal === 'showing' ? true : undefined));
    await vscode.commands.executeCommand('mapcoderLite.accept', run.runId);
    await waitFor('group-a.py on disk', () => (fs.existsSync(wsFile('group-a.py')) && fs.readFileSync(wsFile('group-a.py'), 'utf8').includes('print(a + b)') ? true : undefined));
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === wsFile('group-a.py'));
    assert.equal(doc?.isDirty, false);
  });

  it('a program that fails its tests is offered as "Keep anyway", not Accept', async () => {
    await openInEditor('never.md');
    const run = await solveFile(a, 'never.md');
    assert.equal(run.status, 'failed');
    const preview = await waitFor('the preview of never.py', () => vscode.workspace.textDocuments.find((d) => d.uri.path.startsWith('/never.py (proposed)')));
    const titles = await waitFor('the preview\'s lenses', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', preview.uri) ?? [];
      return lenses.length ? lenses.map((l) => l.command?.title) : undefined;
    });
    assert.ok(titles.includes('Keep anyway') && !titles.includes('✓ Accept'), titles.join(', '));
  });

  it('an addition longer than the inline preview opens the diff view by itself', async () => {
    await openInEditor('long.py');
    await solveFile(a, 'long.md');
    const uri = vscode.Uri.file(wsFile('long.py'));
    await waitFor('the proposal in long.py', async () => ((await decisionLenses(uri)).accept ? true : undefined));
    await waitFor('the diff view', () => (vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.original.toString() === uri.toString())) ? true : undefined));
  });

  it('Run Sample Tests on an accepted program whose statement is gone uses the problem of the run that wrote it', async () => {
    await openInEditor('orphan.md');
    const run = await solveFile(a, 'orphan.md');
    await waitFor('the proposal', () => (a.store.get(run.meta.runId)?.proposal === 'showing' ? true : undefined));
    await vscode.commands.executeCommand('mapcoderLite.accept', run.meta.runId);
    await waitFor('orphan.py on disk', () => (fs.existsSync(wsFile('orphan.py')) ? true : undefined));
    fs.rmSync(wsFile('orphan.md'));
    await openInEditor('orphan.py');
    const report = await vscode.commands.executeCommand<{ verdict: string; total: number } | undefined>('mapcoderLite.runSamples');
    assert.deepEqual([report?.verdict, report?.total], ['AC', 1]);
  });
});
