// The Tests view: the tests of the problem in the active editor (its samples, then the user's own from
// `<name>.tests.md`), run one or all on the current program with verdicts, expected and actual side by
// side; the user's tests added, opened and deleted. The tests file stays a plain file: every change here
// is an edit of its document (undoable, never over unsaved typing).
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { parseUserTests, readUserTests, userTestsPath, userTestsText } from '../core/problem/user-tests';
import type { Lang, Problem, Sample, TestResult } from '../core/types';
import { judgeOnce } from './commands/user-code';
import type { Services } from './services';
import { existingFiles, resolveTarget } from './target';
import { siblingSources, siblingStatements, sourceLang } from './target-logic';
import { ensureTrusted } from './user-guards';

export interface TestRow {
  /** Position among all the problem's tests (samples first). */
  index: number;
  sample: Sample;
  /** Its position in the tests file, for the user's own tests. */
  yours?: number;
  result?: TestResult;
}

interface Current {
  /** The statement or program the tests belong to. */
  file: string;
  testsFile: string;
  rows: TestRow[];
  /** As read with the rows: its limits are what a run of the tests gets. */
  problem: Problem;
}

const SCHEME = 'mapcoder-lite-test';

export class TestsView implements vscode.TreeDataProvider<TestRow>, vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private current: Current | undefined;
  /** Results by test input, for the current problem's file. */
  private results = new Map<string, TestResult>();
  private readonly texts = new Map<string, string>();
  private generation = 0;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly s: Services) {
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => void this.refresh()),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (this.current && [this.current.file, this.current.testsFile].includes(d.uri.fsPath)) void this.refresh();
      }),
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, this),
    ];
    void this.refresh();
  }

  /** What the view shows, for the integration tests. */
  rows(): TestRow[] {
    return this.current?.rows ?? [];
  }

  /** Reads the problem of the active editor again (a `.tests.md` file stands for its problem); the latest call wins. */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    let next: Current | undefined;
    try {
      const doc = await this.problemDocument();
      if (doc) {
        const own = sourceLang({ languageId: doc.languageId, fileName: doc.uri.fsPath });
        const target = await resolveTarget({ doc, lang: own ?? this.s.settings.read().defaultLanguage ?? 'python3', forJudging: false });
        const testsFile = userTestsPath(doc.uri.fsPath);
        const yours = await readUserTests(testsFile);
        if (target && target.problem.style.kind === 'stdio') {
          if (this.current?.file !== doc.uri.fsPath) this.results.clear();
          const rows = target.problem.samples.map((sample, index) => {
            const k = yours.findIndex((t) => t.input === sample.input);
            return { index, sample, ...(k >= 0 ? { yours: k } : {}), result: this.results.get(sample.input) };
          });
          next = { file: doc.uri.fsPath, testsFile, rows, problem: target.problem };
        }
      }
    } catch (e) {
      // Not a problem, or its file is gone: the view's welcome text says what to open.
      this.s.log.debug(`Tests view: no problem in the active editor (${e instanceof Error ? e.message : String(e)})`);
      next = undefined;
    }
    if (generation !== this.generation) return; // a later refresh started meanwhile
    this.s.log.debug(`Tests view: ${next ? `${next.rows.length} tests of ${next.file}` : 'no problem'}`);
    this.current = next;
    void vscode.commands.executeCommand('setContext', 'mapcoderLite.hasTests', next !== undefined);
    this.changed.fire();
  }

  private async problemDocument(): Promise<vscode.TextDocument | undefined> {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.uri.scheme !== 'file') return this.current ? vscode.workspace.openTextDocument(this.current.file) : undefined;
    if (!doc.uri.fsPath.endsWith('.tests.md')) return doc;
    const [statement] = await existingFiles(siblingStatements(doc.uri.fsPath.replace(/\.tests\.md$/, '.md')));
    return statement ? vscode.workspace.openTextDocument(statement) : undefined;
  }

  getTreeItem(row: TestRow): vscode.TreeItem {
    const r = row.result;
    const item = new vscode.TreeItem(row.yours !== undefined ? `Test ${row.index + 1} (yours)` : `Sample ${row.index + 1}`);
    item.description = r ? `${r.verdict} · ${r.timeMs} ms` : firstLine(row.sample.input);
    item.iconPath = new vscode.ThemeIcon(!r ? 'beaker' : r.verdict === 'AC' ? 'pass' : 'error', r && r.verdict !== 'AC' ? new vscode.ThemeColor('testing.iconFailed') : undefined);
    item.contextValue = `${row.yours !== undefined ? 'userTest' : 'sample'}${r && r.verdict !== 'AC' ? '.failed' : ''}`;
    const fence = (title: string, text: string) => `**${title}**\n\n\`\`\`text\n${text.replace(/```/g, '`\u200b``')}\n\`\`\`\n`;
    item.tooltip = new vscode.MarkdownString([
      fence('Input', row.sample.input), fence('Expected', row.sample.outputs[0] ?? ''), ...(r ? [fence(`Actual (${r.verdict})`, r.actual)] : []),
    ].join('\n'));
    item.command = r && r.verdict !== 'AC'
      ? { command: 'mapcoderLite.tests.compare', title: 'Compare', arguments: [row] }
      : { command: 'mapcoderLite.tests.open', title: 'Open', arguments: [row] };
    return item;
  }

  getChildren(row?: TestRow): TestRow[] {
    return row ? [] : this.rows();
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.query) ?? '';
  }

  /** Runs the given tests (all when none) on the problem's program, in the judge terminal. */
  async run(rows?: TestRow[]): Promise<void> {
    if (!ensureTrusted()) return;
    const cur = this.current;
    if (!cur) return;
    const program = await this.program(cur);
    if (!program) {
      void vscode.window.showInformationMessage(`MapCoder-Lite: there is no program for ${basename(cur.file)} yet: write one beside it, or Solve.`);
      return;
    }
    const chosen = rows?.length ? rows : cur.rows;
    const problem = { ...cur.problem, samples: chosen.map((r) => r.sample) };
    const report = await judgeOnce(this.s, problem, program.lang, program.doc.getText(), this.s.settings.read(), `Your program: ${basename(program.doc.uri.fsPath)}`);
    if (!report) return;
    report.tests.forEach((t, i) => this.results.set(chosen[i].sample.input, t));
    if (report.verdict === 'CE') for (const r of chosen) this.results.set(r.sample.input, { index: r.index, verdict: 'CE', input: r.sample.input, expected: r.sample.outputs, actual: report.compile?.message ?? '', stderr: '', timeMs: 0 });
    await this.refresh();
  }

  /** The program the tests run on: the problem's file when it is a source file, else the statement's sibling source. */
  private async program(cur: Current): Promise<{ doc: vscode.TextDocument; lang: Lang } | undefined> {
    const doc = await vscode.workspace.openTextDocument(cur.file);
    const own = sourceLang({ languageId: doc.languageId, fileName: cur.file });
    if (own) return { doc, lang: own };
    const siblings = siblingSources(cur.file);
    const [path] = await existingFiles(siblings.map((x) => x.path));
    const lang = siblings.find((x) => x.path === path)?.lang;
    return path && lang ? { doc: await vscode.workspace.openTextDocument(path), lang } : undefined;
  }

  /** Expected and actual output side by side. */
  async compare(row: TestRow): Promise<void> {
    const r = row.result;
    if (!r) return;
    const key = `${Date.now()}-${row.index}`;
    this.texts.set(`${key}-expected`, row.sample.outputs[0] ?? '');
    this.texts.set(`${key}-actual`, r.verdict === 'CE' || !r.actual ? r.actual || r.stderr : r.actual);
    const uri = (side: string) => vscode.Uri.from({ scheme: SCHEME, path: `/${side}`, query: `${key}-${side}` });
    await vscode.commands.executeCommand('vscode.diff', uri('expected'), uri('actual'), `Test ${row.index + 1}: expected ↔ actual (${r.verdict})`);
  }

  /** A new test at the end of the tests file (made when missing), its input ready to type. */
  async add(): Promise<void> {
    const cur = this.current;
    if (!cur) {
      void vscode.window.showInformationMessage('MapCoder-Lite: open a problem statement or its program first.');
      return;
    }
    const uri = vscode.Uri.file(cur.testsFile);
    if ((await existingFiles([cur.testsFile])).length === 0) await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(userTestsText([])));
    const doc = await vscode.workspace.openTextDocument(uri);
    const n = (await readUserTests(cur.testsFile)).length + 1;
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    const block = `${doc.getText().endsWith('\n') ? '' : '\n'}\n## Test ${n}\n\n\`\`\`input\n\n\`\`\`\n\n\`\`\`output\n\n\`\`\`\n`;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, end, block);
    await vscode.workspace.applyEdit(edit);
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    const inputLine = doc.getText().split('\n').lastIndexOf('```input') + 1;
    editor.selection = new vscode.Selection(inputLine, 0, inputLine, 0);
    editor.revealRange(new vscode.Range(inputLine, 0, inputLine, 0));
  }

  /** Opens where a test is written: the tests file at a test of yours, else the statement. */
  async open(row: TestRow): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    if (row.yours === undefined) {
      await vscode.window.showTextDocument(vscode.Uri.file(cur.file), { preview: false });
      return;
    }
    const doc = await vscode.workspace.openTextDocument(cur.testsFile);
    const lines = doc.getText().split('\n');
    const at = lines.map((l, i) => (/^(```|~~~~)input\s*$/.test(l) ? i : -1)).filter((i) => i >= 0)[row.yours] ?? 0;
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    editor.revealRange(new vscode.Range(at, 0, at, 0), vscode.TextEditorRevealType.AtTop);
  }

  /** Deletes a test of yours: the tests file's document rewritten without it, then saved. */
  async delete(row: TestRow): Promise<void> {
    const cur = this.current;
    if (!cur || row.yours === undefined) return;
    const doc = await vscode.workspace.openTextDocument(cur.testsFile);
    const tests = parseUserTests(doc.getText());
    if (!tests[row.yours] || tests[row.yours].input !== row.sample.input) return void this.refresh(); // the file changed meanwhile
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), userTestsText(tests.filter((_, i) => i !== row.yours)));
    await vscode.workspace.applyEdit(edit);
    await doc.save();
    await this.refresh();
  }

  dispose(): void {
    this.changed.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}

/** A test's input on one line, lines joined by ⏎, cut at 40 characters. */
function firstLine(text: string): string {
  const line = text.trimEnd().split('\n').join(' ⏎ ');
  return line.length > 40 ? `${line.slice(0, 40)}…` : line;
}
