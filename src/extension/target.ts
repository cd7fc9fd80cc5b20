import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { readUserTests, userTestsPath, withUserTests } from '../core/problem/user-tests';
import { LANG_IDS, LANGS } from '../core/judge/languages';
import { parseProblem, ProblemError } from '../core/problem';
import { interactiveRefusal, JudgingChoiceError, toolProblem, withJudging } from '../core/judge/checker/find';
import { SETTINGS } from './settings/table';
import type { Lang, Problem } from '../core/types';
import { detectEol } from './diff';
import { trackChanges, type OffsetRange, type Touch } from './proposal/logic';
import {
  answerText, chooseLang, planTarget, siblingSources, siblingStatements, sourceLang, TargetError, type EditorInput,
} from './target-logic';

/** Where a run's program goes, as the run lifecycle and the proposal need it. */
export type AnswerTarget =
  /** In the document the statement came from. `anchor`: a Solve Selection insertion point, followed through edits. */
  | { kind: 'in-file'; uri: vscode.Uri; anchor?: RangeAnchor }
  /** A sibling file (the whole content); it may not exist yet. */
  | { kind: 'file'; uri: vscode.Uri }
  | { kind: 'untitled' };

export interface Target {
  problem: Problem;
  lang: Lang;
  title: string;
  /** The document the statement came from (for the panel's "open file"). */
  source: vscode.Uri;
  answer: AnswerTarget;
  /** One run at a time per key: the file the answer goes into. */
  key: string;
}

/** Problems the user fixes in the editor; shown as one message. */
export { TargetError };

/**
 * Reads a document (and, for Solve Selection, its selection) into a Target. `lang` forces the
 * language (a re-run); otherwise it is resolved, asking with a quick pick as a last resort. Undefined
 * when the user dismissed that pick. Reads only the document and a few sibling files.
 */
export async function resolveTarget(o: {
  doc: vscode.TextDocument; selection?: vscode.Selection; lang?: Lang; defaultLanguage?: Lang;
  /** false: the problem is only shown (the tests view), so one that cannot be judged is not refused. */
  forJudging?: boolean;
}): Promise<Target | undefined> {
  const doc = o.doc;
  const fileName = doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
  const text = doc.getText();
  const selection = o.selection && !o.selection.isEmpty ? { start: doc.offsetAt(o.selection.start), end: doc.offsetAt(o.selection.end) } : undefined;
  if (o.selection && !selection) throw new TargetError('Select the problem statement first, then run "Solve Selection".');
  const input: EditorInput = { fileName, languageId: doc.languageId, text, selection };

  const own = sourceLang(input);
  let existing: Lang[] = [];
  if (!own && !o.lang && fileName) {
    const siblings = siblingSources(fileName);
    const found = new Set(await existingFiles(siblings.map((s) => s.path)));
    existing = siblings.filter((s) => found.has(s.path)).map((s) => s.lang);
  }
  const lang = o.lang ?? chooseLang(own, existing, o.defaultLanguage) ?? (await pickLanguage());
  if (!lang) return undefined;

  const statementFile = own && fileName && !selection ? (await existingFiles(siblingStatements(fileName)))[0] : undefined;
  const sibling = statementFile ? { path: statementFile, text: await readText(vscode.Uri.file(statementFile)) } : undefined;
  const plan = planTarget(input, lang, sibling);

  let problem: Problem;
  try {
    problem = parseProblem(plan.problemText, { fileName: plan.problemFileName });
  } catch (err) {
    if (err instanceof ProblemError) throw new TargetError(err.message);
    throw err;
  }
  // The user's own tests beside the problem count like its samples.
  if (fileName && !selection) problem = withUserTests(problem, await readUserTests(userTestsPath(fileName)));
  problem = judgedProblem(problem, doc.uri, statementFile ?? fileName, o.forJudging ?? true);
  const answer: AnswerTarget =
    plan.answer.kind === 'file'
      ? { kind: 'file', uri: vscode.Uri.file(plan.answer.path) }
      : plan.answer.kind === 'untitled'
        ? { kind: 'untitled' }
        : { kind: 'in-file', uri: doc.uri, anchor: selection ? new RangeAnchor(doc, plan.answer.range, plan.answer.prefix) : undefined };
  const key = answer.kind === 'untitled' ? `untitled:${randomUUID()}` : answer.uri.toString();
  const title = problem.title || (fileName ? vscode.workspace.asRelativePath(doc.uri) : 'Untitled problem');
  return { problem, lang, title, source: doc.uri, answer, key };
}

/**
 * The problem with its checker and interactor (beside the statement, or the folder's settings
 * mapcoderLite.judge.checker and .testlib) and what its statement says about judging. Refused in one
 * line when it cannot be judged: an interactive problem without an interactor, a tool missing testlib.h.
 */
function judgedProblem(problem: Problem, uri: vscode.Uri, statementPath: string | undefined, forJudging: boolean): Problem {
  const cfg = vscode.workspace.getConfiguration('mapcoderLite', uri);
  const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
  const setting = (s: typeof SETTINGS.checker) => s.read(cfg.get(s.key)).value || undefined;
  let judged: Problem;
  try {
    judged = withJudging(problem, statementPath, { checker: setting(SETTINGS.checker), testlib: setting(SETTINGS.testlib), base: folder });
  } catch (err) {
    if (err instanceof JudgingChoiceError) throw new TargetError(`mapcoderLite.judge: ${err.message}`);
    throw err;
  }
  const refusal = forJudging ? (interactiveRefusal(judged, statementPath) ?? toolProblem(judged)) : undefined;
  if (refusal) throw new TargetError(refusal);
  return judged;
}

/** Where the program goes right now: a document range (re-located from the current text) or a new document. */
export type AnswerPlace =
  | { kind: 'range'; doc: vscode.TextDocument; range: OffsetRange; proposed: string }
  | { kind: 'new'; uri?: vscode.Uri; proposed: string };

export async function placeAnswer(target: Target, code: string): Promise<AnswerPlace> {
  const a = target.answer;
  if (a.kind === 'untitled') return { kind: 'new', proposed: answerText(code, '', '\n') };
  if (a.kind === 'file') {
    if (!(await fileExists(a.uri))) return { kind: 'new', uri: a.uri, proposed: answerText(code, '', '\n') };
    const doc = await vscode.workspace.openTextDocument(a.uri);
    return { kind: 'range', doc, range: { start: 0, end: doc.getText().length }, proposed: answerText(code, '', detectEol(doc.getText())) };
  }
  const doc = await vscode.workspace.openTextDocument(a.uri);
  const text = doc.getText();
  const eol = detectEol(text);
  if (a.anchor) {
    const spot = a.anchor.current();
    return { kind: 'range', doc, range: spot.range, proposed: answerText(code, spot.prefix, eol) };
  }
  // The statement comment may have been edited during the run: find where its code starts now.
  const plan = planTarget({ fileName: doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined, languageId: doc.languageId, text }, target.lang, await siblingOf(doc));
  if (plan.answer.kind !== 'in-file') throw new TargetError(`${vscode.workspace.asRelativePath(doc.uri)} is no longer a source file.`);
  return { kind: 'range', doc, range: plan.answer.range, proposed: answerText(code, plan.answer.prefix, eol) };
}

async function siblingOf(doc: vscode.TextDocument): Promise<{ path: string; text: string } | undefined> {
  if (doc.uri.scheme !== 'file') return undefined;
  const path = (await existingFiles(siblingStatements(doc.uri.fsPath)))[0];
  return path ? { path, text: await readText(vscode.Uri.file(path)) } : undefined;
}

/**
 * A Solve Selection insertion point, followed through the user's edits while the run goes. When an
 * edit swallowed it, the program goes at the end of what replaced it.
 */
export class RangeAnchor implements vscode.Disposable {
  private range: OffsetRange;
  private touched: Touch = 'none';
  private readonly subscription: vscode.Disposable;

  constructor(doc: vscode.TextDocument, range: OffsetRange, private readonly prefix: string) {
    this.range = range;
    const uri = doc.uri.toString();
    this.subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.toString() !== uri || !e.contentChanges.length) return;
      const next = trackChanges(this.range, this.touched, e.contentChanges.map((c) => ({ offset: c.rangeOffset, length: c.rangeLength, text: c.text })));
      this.range = next.range;
      this.touched = next.touched;
    });
  }

  current(): { range: OffsetRange; prefix: string } {
    return this.touched === 'none' ? { range: this.range, prefix: this.prefix } : { range: { start: this.range.end, end: this.range.end }, prefix: this.prefix };
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

export async function pickLanguage(): Promise<Lang | undefined> {
  const items = LANG_IDS.map((id) => ({ label: LANGS[id].label, description: LANGS[id].extensions[0], id }));
  const pick = await vscode.window.showQuickPick(items, {
    title: 'MapCoder-Lite: language of the solution',
    placeHolder: 'Pick a language (set "mapcoderLite.defaultLanguage" to skip this question)',
  });
  return pick?.id;
}

/** VS Code's language id for a core language (for new documents). */
export function languageIdOf(lang: Lang): string {
  return lang === 'python3' ? 'python' : lang;
}

export async function fileExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

export async function existingFiles(paths: string[]): Promise<string[]> {
  const found = await Promise.all(paths.map((p) => fileExists(vscode.Uri.file(p))));
  return paths.filter((_, i) => found[i]);
}

/** An open document's text (unsaved edits included), else the file's. */
export async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}
