// The user's work is never lost while a proposal shows: the target file edited (inside and outside the
// proposed range, across its edge, on disk), closed, renamed, deleted (through VS Code and behind its
// back); two solves on two files at once; a solve started while one runs on the same file, or while its
// proposal shows. Every case compares the user's text byte for byte (buffer and disk) before and after,
// and checks that no decoration, CodeLens or proposalVisible context is left behind.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  api, decisionLenses, readBytes, runEnded, sleep, spyOnEditor, startSolve, tabsOf, waitFor, waitForProposal, wsFile,
  type EditorSpy, type TestApi,
} from './helpers';

// What the scripted coding agent answers for the never-lost scenarios (test/harness/llm-script.ts).
const CORRECT = 'a, b = map(int, input().split())\nprint(a + b)\n';
// Where the user's own code starts in every nl-*.py file: the proposal replaces from here to the end.
const USER_CODE = '# my own attempt';

/**
 * The nl-*.py files: a statement docstring (title, scripted scenario) above the user's own code. Written
 * into the session's copy of the fixture workspace, one per case, so each case has a file of its own.
 */
const NL_FILES: Record<string, [title: string, scenario: string]> = {
  'nl-outside.py': ['N1. Never Lost: Edited Outside', 'never-lost'],
  'nl-inside.py': ['N2. Never Lost: Edited Inside', 'never-lost'],
  'nl-crossing.py': ['N3. Never Lost: Edited Across', 'never-lost'],
  'nl-disk.py': ['N4. Never Lost: Changed on Disk', 'never-lost'],
  'nl-close.py': ['N5. Never Lost: Closed', 'never-lost'],
  'nl-rename.py': ['N6. Never Lost: Renamed', 'never-lost'],
  'nl-rename-ext.py': ['N7. Never Lost: Renamed Outside VS Code', 'never-lost'],
  'nl-delete.py': ['N8. Never Lost: Deleted', 'never-lost'],
  'nl-delete-ext.py': ['N9. Never Lost: Deleted Outside VS Code', 'never-lost'],
  'nl-two-a.py': ['N10. Never Lost: Two Files, A', 'never-lost-a'],
  'nl-two-b.py': ['N11. Never Lost: Two Files, B', 'never-lost-b'],
  'nl-clash.py': ['N12. Never Lost: Solved Twice', 'never-lost-slow'],
  'nl-again.py': ['N13. Never Lost: Solved Again While Proposed', 'never-lost'],
};
const nlSource = (title: string, scenario: string) => `"""
# ${title}

Scenario ${scenario}: you are given two integers a and b. Print their sum.

## Input

One line with two integers a and b (-10^9 <= a, b <= 10^9).

## Output

Print a + b.

## Examples

\`\`\`input
1 2
\`\`\`

\`\`\`output
3
\`\`\`
"""

# my own attempt: every character of it must survive
a, b = map(int, input().split())
print(a * b)
`;

/** Byte comparisons of the user's text; `lost` counts bytes that differ or are missing. */
const tally = { checks: 0, bytes: 0, lost: 0 };

function keep(what: string, expected: string | Buffer, actual: string | Buffer): void {
  const e = Buffer.from(expected);
  const x = Buffer.from(actual);
  let lost = Math.abs(e.length - x.length);
  for (let i = 0; i < Math.min(e.length, x.length); i++) if (e[i] !== x[i]) lost++;
  tally.checks++;
  tally.bytes += e.length;
  tally.lost += lost;
  assert.equal(lost, 0, `${what}: ${lost} byte(s) differ from the user's text`);
}

const titleOf = (name: string) => /^# (N\d+\. [^\n]+)$/m.exec(readBytes(name).toString('utf8'))![1];
const uriOf = (name: string) => vscode.Uri.file(wsFile(name));

describe('never lost: the user\'s text while a proposal shows', () => {
  let a: TestApi;
  let spy: EditorSpy;

  before(async () => {
    for (const [name, [title, scenario]] of Object.entries(NL_FILES)) fs.writeFileSync(wsFile(name), nlSource(title, scenario));
    a = await api();
    spy = spyOnEditor();
  });
  afterEach(() => { spy.answer = () => undefined; });
  after(() => {
    spy.restore();
    console.log(`never-lost: ${tally.checks} byte comparisons of user text, ${tally.bytes} bytes compared, ${tally.lost} lost`);
  });

  /** Solves `name` (a source file whose docstring is the statement) and waits for its proposal to show. */
  async function propose(name: string) {
    const uri = uriOf(name);
    const original = readBytes(name);
    await startSolve(name);
    const run = await runEnded(a, titleOf(name));
    assert.equal(run.status, 'passed', `run ended ${run.status}: ${run.result?.error ?? ''}`);
    const { accept } = await waitForProposal(uri);
    const runId = accept.arguments?.[0] as string;
    assert.equal(runId, run.meta.runId, 'the CodeLens names the run');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    await waitFor('the proposal\'s decorations (seen by the spy)', () => spy.decorationsOn(uri) > 0);
    await waitFor('mapcoderLite.proposalVisible = true', () => spy.proposalVisible() === true);
    keep(`${name}: buffer while the proposal shows`, original, doc.getText());
    keep(`${name}: disk while the proposal shows`, original, readBytes(name));
    const codeAt = doc.getText().indexOf(USER_CODE);
    return { uri, doc, editor, runId, original, codeAt };
  }

  async function accept(runId: string): Promise<void> {
    await vscode.commands.executeCommand('mapcoderLite.accept', runId);
  }

  /** Nothing of the proposal is left: no lens, no decoration on a visible editor, context key false, run stale. */
  async function assertGone(uri: vscode.Uri, runId: string): Promise<void> {
    await waitFor(`run ${runId} marked stale`, () => a.store.get(runId)?.proposal === 'stale');
    // A file deleted through VS Code has no document left to carry a lens.
    if (fs.existsSync(uri.fsPath) || vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) {
      const lenses = await decisionLenses(uri);
      assert.ok(!lenses.accept && !lenses.reject, 'no Accept/Reject CodeLens left');
    }
    assert.equal(spy.decorationsOn(uri), 0, 'no decoration left on a visible editor of the file');
    await waitFor('mapcoderLite.proposalVisible = false', () => spy.proposalVisible() === false);
  }

  /** Accept of a withdrawn proposal: says so and changes nothing. */
  async function acceptDoesNothing(runId: string): Promise<void> {
    const infos = spy.infos.length;
    const modals = spy.modals.length;
    await accept(runId);
    assert.deepEqual(spy.infos.slice(infos), ['That proposal is no longer showing.']);
    assert.equal(spy.modals.length, modals, 'nothing asked');
  }

  describe('the target file is edited', () => {
    it('outside the proposed range: Accept applies without asking and keeps every character typed there', async () => {
      const p = await propose('nl-outside.py');
      const note = '# a note the user typed above the statement\n';
      await p.editor.edit((b) => {
        b.insert(new vscode.Position(0, 0), note);
        const at = p.doc.getText().indexOf('Print their sum.');
        b.replace(new vscode.Range(p.doc.positionAt(at), p.doc.positionAt(at + 'Print their sum.'.length)), 'Print a + b, reworded by the user.');
      });
      const before = p.doc.getText();
      const codeAt = before.indexOf(USER_CODE);
      const modals = spy.modals.length;
      await accept(p.runId);
      assert.equal(spy.modals.length, modals, 'no question: the user did not touch the proposed range');
      keep('nl-outside.py: the user\'s text outside the range after Accept', before.slice(0, codeAt), p.doc.getText().slice(0, codeAt));
      assert.equal(p.doc.getText().slice(codeAt), CORRECT, 'the range holds the program');
      await vscode.commands.executeCommand('undo');
      keep('nl-outside.py: one undo after Accept', before, p.doc.getText());
      keep('nl-outside.py: disk (Accept does not save)', p.original, readBytes('nl-outside.py'));
      const lenses = await decisionLenses(p.uri);
      assert.ok(!lenses.accept && spy.decorationsOn(p.uri) === 0, 'nothing of the proposal left after Accept');
    });

    it('inside the proposed range: Accept asks; No keeps the buffer; an edit during the question is asked about again; Replace is one undo away', async () => {
      const p = await propose('nl-inside.py');
      const mine = p.doc.getText().indexOf('print(a * b)') + 'print(a * b)'.length;
      await p.editor.edit((b) => b.insert(p.doc.positionAt(mine), '  # my fix in progress'));
      const edited = p.doc.getText();
      const modals = spy.modals.length;
      await accept(p.runId);
      assert.equal(spy.modals.length, modals + 1);
      assert.match(spy.modals.at(-1)!, /You edited the code this proposal replaces/);
      keep('nl-inside.py: buffer after Accept answered No', edited, p.doc.getText());
      assert.ok((await decisionLenses(p.uri)).accept, 'the proposal still shows');
      assert.ok(spy.decorationsOn(p.uri) > 0, 'its decorations are re-diffed against the edited text, not dropped');

      // The user types once more while the question shows, then answers Replace: the question comes back.
      let asked = 0;
      spy.answer = async (_m, items) => {
        if (asked++ === 0) await p.editor.edit((b) => b.insert(p.doc.positionAt(p.doc.getText().length), 'print("typed while asked")\n'));
        return items.find((i) => i === 'Replace');
      };
      await accept(p.runId);
      assert.equal(asked, 2, 'asked again after the edit made while the question showed');
      const latest = edited + 'print("typed while asked")\n';
      keep('nl-inside.py: the statement above the range after Replace', latest.slice(0, p.codeAt), p.doc.getText().slice(0, p.codeAt));
      assert.equal(p.doc.getText().slice(p.codeAt), CORRECT);
      await vscode.window.showTextDocument(p.doc, { preview: false });
      await vscode.commands.executeCommand('undo');
      keep('nl-inside.py: one undo after Replace brings back everything the user typed', latest, p.doc.getText());
      keep('nl-inside.py: disk', p.original, readBytes('nl-inside.py'));
    });

    it('across the range\'s edge (statement and code together): the proposal is withdrawn, Accept changes nothing', async () => {
      const p = await propose('nl-crossing.py');
      await p.editor.edit((b) => b.delete(new vscode.Range(p.doc.positionAt(p.codeAt - 6), p.doc.positionAt(p.codeAt + 5))));
      const edited = p.doc.getText();
      await assertGone(p.uri, p.runId);
      await acceptDoesNothing(p.runId);
      keep('nl-crossing.py: buffer', edited, p.doc.getText());
      keep('nl-crossing.py: disk', p.original, readBytes('nl-crossing.py'));
    });

    it('on disk behind VS Code\'s back (a checkout): Accept re-compares with the new text and asks; No leaves it as written', async () => {
      const p = await propose('nl-disk.py');
      const checkedOut = p.original.toString('utf8').replace('print(a * b)', 'print(a ** b)  # from another branch');
      fs.writeFileSync(wsFile('nl-disk.py'), checkedOut);
      await waitFor('VS Code to reload nl-disk.py', () => p.doc.getText() === checkedOut);
      const modals = spy.modals.length;
      await accept(p.runId);
      assert.equal(spy.modals.length, modals + 1, 'the reloaded text is not what the proposal was made against: asked');
      keep('nl-disk.py: buffer', checkedOut, p.doc.getText());
      keep('nl-disk.py: disk', checkedOut, readBytes('nl-disk.py'));
      assert.equal(p.doc.isDirty, false);
      await vscode.commands.executeCommand('mapcoderLite.reject', p.runId);
      keep('nl-disk.py: disk after Reject', checkedOut, readBytes('nl-disk.py'));
    });
  });

  it('closed: decorations, CodeLens and context key go; the file is byte-identical; reopening shows nothing', async () => {
    const p = await propose('nl-close.py');
    assert.ok(await vscode.window.tabGroups.close(tabsOf(p.uri)));
    await assertGone(p.uri, p.runId);
    keep('nl-close.py: disk after closing', p.original, readBytes('nl-close.py'));
    const again = await vscode.window.showTextDocument(p.uri, { preview: false });
    await sleep(500);
    assert.equal(spy.decorationsOn(p.uri), 0, 'the reopened editor has no decoration');
    assert.equal(spy.proposalVisible(), false);
    keep('nl-close.py: reopened buffer', p.original, again.document.getText());
    await acceptDoesNothing(p.runId);
    keep('nl-close.py: disk after Accept', p.original, readBytes('nl-close.py'));
  });

  describe('renamed (the proposal is withdrawn; it does not follow the file)', () => {
    it('through VS Code (Explorer, refactoring): withdrawn, contents moved intact, Accept re-creates nothing', async () => {
      const p = await propose('nl-rename.py');
      const moved = uriOf('nl-renamed.py');
      const edit = new vscode.WorkspaceEdit();
      edit.renameFile(p.uri, moved);
      assert.ok(await vscode.workspace.applyEdit(edit));
      await assertGone(moved, p.runId);
      await vscode.window.showTextDocument(moved, { preview: false });
      await sleep(300);
      assert.equal(spy.decorationsOn(moved), 0, 'the renamed file\'s editor has no decoration');
      await acceptDoesNothing(p.runId);
      assert.equal(fs.existsSync(wsFile('nl-rename.py')), false, 'the old name is not re-created');
      keep('nl-renamed.py: disk', p.original, readBytes('nl-renamed.py'));
    });

    it('outside VS Code: withdrawn when the file watcher reports it, the editor of the old name keeps the text undecorated', async () => {
      const p = await propose('nl-rename-ext.py');
      fs.renameSync(wsFile('nl-rename-ext.py'), wsFile('nl-renamed-ext.py'));
      await assertGone(p.uri, p.runId);
      keep('nl-rename-ext.py: the still-open buffer of the old name', p.original, p.doc.getText());
      await acceptDoesNothing(p.runId);
      await sleep(500);
      assert.equal(fs.existsSync(wsFile('nl-rename-ext.py')), false, 'the old name is not re-created');
      keep('nl-renamed-ext.py: disk', p.original, readBytes('nl-renamed-ext.py'));
    });
  });

  describe('deleted', () => {
    it('through VS Code: withdrawn, Accept does nothing, no file re-created', async () => {
      const p = await propose('nl-delete.py');
      const edit = new vscode.WorkspaceEdit();
      edit.deleteFile(p.uri);
      assert.ok(await vscode.workspace.applyEdit(edit));
      await assertGone(p.uri, p.runId);
      await acceptDoesNothing(p.runId);
      await sleep(500);
      assert.equal(fs.existsSync(wsFile('nl-delete.py')), false, 'not re-created');
    });

    it('outside VS Code, with Accept before the file watcher reports it: nothing applied to the orphaned buffer, nothing re-created', async () => {
      const p = await propose('nl-delete-ext.py');
      fs.unlinkSync(wsFile('nl-delete-ext.py'));
      await accept(p.runId); // at once: the watcher's delete event has not arrived yet
      keep('nl-delete-ext.py: the orphaned buffer', p.original, p.doc.getText());
      assert.equal(p.doc.isDirty, false, 'the orphaned buffer was not edited');
      await assertGone(p.uri, p.runId);
      await sleep(500);
      assert.equal(fs.existsSync(wsFile('nl-delete-ext.py')), false, 'not re-created');
    });
  });

  it('two solves on two files at once: both run together, both finish, each program lands in its own file', async () => {
    const files = ['nl-two-a.py', 'nl-two-b.py'];
    const titles = files.map(titleOf);
    const originals = files.map(readBytes);
    let most = 0;
    const sub = a.store.onDidChange(() => {
      most = Math.max(most, a.store.list().filter((r) => titles.includes(r.title) && r.status === 'running').length);
    });
    try {
      await startSolve(files[0]);
      await startSolve(files[1]);
      const runs = await Promise.all(titles.map((t) => runEnded(a, t)));
      assert.deepEqual(runs.map((r) => r.status), ['passed', 'passed']);
      assert.equal(most, 2, 'the two runs were going at the same time');
      for (const [i, name] of files.entries()) {
        const uri = uriOf(name);
        const { accept: lens } = await waitForProposal(uri);
        assert.equal(lens.arguments?.[0], runs[i].meta.runId, `${name} shows its own run's proposal`);
      }
      for (const [i, name] of files.entries()) {
        await accept(runs[i].meta.runId);
        const text = (await vscode.workspace.openTextDocument(uriOf(name))).getText();
        const statement = originals[i].toString('utf8').slice(0, originals[i].indexOf(USER_CODE));
        keep(`${name}: statement after Accept`, statement, text.slice(0, statement.length));
        assert.equal(text.slice(statement.length), `# answer for ${'AB'[i]}\n${CORRECT}`, `${name} holds its own program`);
      }
    } finally {
      sub.dispose();
    }
  });

  it('a second Solve while one runs on the same file asks; No keeps the first run, Yes cancels it; the file is untouched', async () => {
    const name = 'nl-clash.py';
    const uri = uriOf(name);
    const original = readBytes(name);
    const title = titleOf(name);
    const ofTitle = () => a.store.list().filter((r) => r.title === title);
    await startSolve(name);
    const first = await waitFor('the first run to be coding (a 20 s reply)', () => {
      const r = ofTitle()[0];
      return r && a.store.get(r.runId)?.steps.coding.status === 'running' ? r : undefined;
    });

    const modals = spy.modals.length;
    await startSolve(name);
    await waitFor('the question about the running run', () => spy.modals.length > modals);
    assert.match(spy.modals.at(-1)!, /already working on nl-clash\.py/);
    await sleep(300);
    assert.equal(a.store.get(first.runId)?.status, 'running', 'answered No: the first run goes on');
    assert.equal(ofTitle().length, 1, 'answered No: no second run');
    keep('nl-clash.py: disk after No', original, readBytes(name));

    spy.answer = (_m, items) => items.find((i) => i === 'Cancel It and Start');
    await startSolve(name);
    const second = await waitFor('a second run', () => ofTitle().find((r) => r.runId !== first.runId));
    assert.equal(a.store.get(first.runId)?.status, 'cancelled', 'the first run was cancelled before the second started');
    const ended = await waitFor('the second run to end', () => {
      const s = a.store.get(second.runId);
      return s && s.status !== 'running' ? s : undefined;
    }, 60_000);
    assert.equal(ended.status, 'passed');
    const { accept: lens, reject } = await waitForProposal(uri);
    assert.equal(lens.arguments?.[0], second.runId, 'the proposal is the second run\'s');
    const doc = await vscode.workspace.openTextDocument(uri);
    keep('nl-clash.py: buffer while the second proposal shows', original, doc.getText());
    await vscode.commands.executeCommand(reject.command, ...(reject.arguments ?? []));
    keep('nl-clash.py: disk after Reject', original, readBytes(name));
    keep('nl-clash.py: buffer after Reject', original, doc.getText());
  });

  it('Solve again while a proposal shows: the old one is withdrawn (Accept on it does nothing), the new one applies', async () => {
    const p = await propose('nl-again.py');
    const title = titleOf('nl-again.py');
    await startSolve('nl-again.py');
    const next = await waitFor('a second run', () => a.store.list().find((r) => r.title === title && r.runId !== p.runId));
    await waitFor('the first proposal marked stale', () => a.store.get(p.runId)?.proposal === 'stale');
    await waitFor('the second run to end', () => a.store.get(next.runId)?.status === 'passed' || undefined, 60_000);
    await waitFor('the second proposal', async () => (await decisionLenses(p.uri)).accept?.arguments?.[0] === next.runId);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', p.uri) ?? [];
    assert.equal(lenses.filter((l) => l.command?.command === 'mapcoderLite.accept').length, 1, 'one Accept lens: the new proposal\'s');
    await acceptDoesNothing(p.runId);
    keep('nl-again.py: buffer after Accept on the withdrawn proposal', p.original, p.doc.getText());
    await accept(next.runId);
    keep('nl-again.py: statement after Accept', p.original.toString('utf8').slice(0, p.codeAt), p.doc.getText().slice(0, p.codeAt));
    assert.equal(p.doc.getText().slice(p.codeAt), CORRECT);
  });
});
