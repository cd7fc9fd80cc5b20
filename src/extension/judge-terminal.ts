import * as vscode from 'vscode';
import type { CompileInfo, JudgeReport, Lang, TestResult } from '../core/types';
import { compileCommandLine, compileLines, headerLines, summaryLines, testLines } from './judge-format';
import type { LangCommands } from '../core/judge/compile';

/** What one judging prints: the callbacks handed to the core judge, and the summary once it reports. */
export interface JudgeView {
  onCompile(c: CompileInfo): void;
  onTest(r: TestResult): void;
  summary(report: JudgeReport, note?: string): void;
}

/**
 * The "MapCoder-Lite Judge" terminal: a pseudoterminal the extension writes to. The programs run in
 * the core judge, never in a shell, so nothing is typed into the user's terminals. Created on
 * demand, reused, and recreated when the user closed it.
 */
export class JudgeTerminal implements vscode.Disposable {
  private terminal: vscode.Terminal | undefined;
  private writer: vscode.EventEmitter<string> | undefined;
  private opened = false;
  /** Lines written before VS Code opened the terminal. */
  private pending: string[] = [];
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.window.onDidCloseTerminal((t) => {
      if (t === this.terminal) this.forget();
    });
  }

  /** Starts a block for one judging: header, then the compile command (when the language compiles). */
  view(title: string, lang: Lang, commands?: LangCommands, detail?: string): JudgeView {
    this.ensure();
    this.write(headerLines(title, detail));
    const command = compileCommandLine(lang, commands);
    return {
      onCompile: (c) => this.write(compileLines(c, command)),
      onTest: (r) => this.write(testLines(r)),
      summary: (report, note) => this.write(note ? [...summaryLines(report), note] : summaryLines(report)),
    };
  }

  /** One judging written whole: header, compile, every test, summary (a report that was made elsewhere). */
  block(title: string, lang: Lang, report: JudgeReport, commands?: LangCommands, detail?: string): void {
    this.ensure();
    const compile = report.compile ? compileLines(report.compile, compileCommandLine(lang, commands)) : [];
    this.write([...headerLines(title, detail), ...compile, ...report.tests.flatMap(testLines), ...summaryLines(report)]);
  }

  /** Lines of their own under a header (what a stress check found). */
  note(title: string, lines: string[]): void {
    this.ensure();
    this.write([...headerLines(title), ...lines]);
  }

  show(preserveFocus = true): void {
    this.ensure().show(preserveFocus);
  }

  dispose(): void {
    this.subscription.dispose();
    this.terminal?.dispose();
    this.forget();
  }

  private ensure(): vscode.Terminal {
    if (this.terminal) return this.terminal;
    const writer = new vscode.EventEmitter<string>();
    const pty: vscode.Pseudoterminal = {
      onDidWrite: writer.event,
      open: () => {
        this.opened = true;
        const lines = this.pending.splice(0);
        if (lines.length) writer.fire(`${lines.join('\r\n')}\r\n`);
      },
      close: () => this.forget(),
    };
    this.writer = writer;
    this.opened = false;
    this.pending = ['MapCoder-Lite judge: compiles and sample runs are shown here. Programs run in a temporary folder under time and memory limits, not in a shell.'];
    this.terminal = vscode.window.createTerminal({ name: 'MapCoder-Lite Judge', pty, iconPath: new vscode.ThemeIcon('beaker') });
    return this.terminal;
  }

  private write(lines: string[]): void {
    if (!this.writer) return;
    if (!this.opened) this.pending.push(...lines);
    else this.writer.fire(`${lines.join('\r\n')}\r\n`);
  }

  private forget(): void {
    this.writer?.dispose();
    this.writer = undefined;
    this.terminal = undefined;
    this.opened = false;
    this.pending = [];
  }
}
