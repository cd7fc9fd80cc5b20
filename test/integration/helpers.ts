// Shared by the suites that run inside the extension host.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunState, RunSummary } from '../../src/run-state';
import { setTimeout as sleep } from 'node:timers/promises';

export const EXTENSION_ID = 'mapcoder-lite.mapcoder-lite';
export const JUDGE_TERMINAL = 'MapCoder-Lite Judge';

/** What the suites read from activate()'s return value. */
export interface TestApi {
  store: {
    current(): RunState | undefined;
    get(runId: string): RunState | undefined;
    list(): RunSummary[];
    onDidChange(listener: (runId: string) => void): { dispose(): void };
    onDidUpdate(listener: (u: { runId: string }) => void): { dispose(): void };
  };
  /** The port this window's Competitive Companion listener holds, if any. */
  companion(): number | undefined;
  /** The Tests view's rows: the tests of the problem in the active editor. */
  tests(): { index: number; sample: { input: string; outputs: string[] }; yours?: number; result?: { verdict: string; actual: string } }[];
  /** Whether this window uses a live local engine. */
  localModel(): boolean;
}

export function extension(): vscode.Extension<TestApi> {
  const ext = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is loaded`);
  return ext;
}

export async function api(): Promise<TestApi> {
  const exports = await extension().activate();
  assert.ok(exports && typeof exports.store?.current === 'function',
    'activate() returns { store: RunStore } so the tests can read the panel state');
  return exports;
}

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri.fsPath;
}

export const wsFile = (name: string) => path.join(workspaceDir(), name);

/** Polls until `check` returns a value (not undefined/false); fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await sleep(100);
  }
}

export { sleep };

export async function openInEditor(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(wsFile(name));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Starts Solve Problem in Active Editor on `name` without waiting for the command (it may last the whole run). */
export async function startSolve(name: string): Promise<void> {
  await openInEditor(name);
  void Promise.resolve(vscode.commands.executeCommand('mapcoderLite.solve')).catch((e: unknown) => {
    console.error(`mapcoderLite.solve on ${name} failed:`, e);
  });
}

/** Starts Solve on a statement file and waits, through the store, for the run it started to end. */
export async function solveFile(a: TestApi, name: string): Promise<RunState> {
  const before = a.store.current()?.meta.runId;
  await startSolve(name);
  const run = await waitFor(`a new run for ${name}`, () => {
    const cur = a.store.current();
    return cur && cur.meta.runId !== before ? cur : undefined;
  });
  return waitFor(`run ${run.meta.runId} to end`, () => {
    const s = a.store.get(run.meta.runId);
    return s && s.status !== 'running' ? s : undefined;
  }, 60_000);
}

/** The Accept/Reject CodeLenses VS Code resolves for a document: what a person clicks. */
export async function decisionLenses(uri: vscode.Uri): Promise<{ accept?: vscode.Command; reject?: vscode.Command }> {
  await vscode.workspace.openTextDocument(uri); // the provider command wants a loaded model
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri) ?? [];
  const find = (id: string) => lenses.map((l) => l.command).find((c) => c?.command === id);
  return { accept: find('mapcoderLite.accept'), reject: find('mapcoderLite.reject') };
}

/** Waits until the document shows a proposal (both lenses), for at most a minute. */
export async function waitForProposal(uri: vscode.Uri): Promise<{ accept: vscode.Command; reject: vscode.Command }> {
  const end = Date.now() + 60_000;
  for (;;) {
    const l = await decisionLenses(uri);
    if (l.accept && l.reject) return { accept: l.accept, reject: l.reject };
    if (Date.now() > end) throw new Error(`timed out waiting for Accept/Reject CodeLenses on ${uri.fsPath}`);
    await sleep(200);
  }
}

/** Every process below `pid` (children, grandchildren...), from one `ps` listing. */
export function descendants(pid: number): { pid: number; cmd: string }[] {
  const args = ['-e', '-o', 'pid=,ppid=,args='];
  const self = `ps ${args.join(' ')}`; // the listing's own process is a child of the host too
  const out = execFileSync('ps', args, { encoding: 'utf8' });
  const rows = out.trim().split('\n').map((l) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)!;
    return { pid: Number(m[1]), ppid: Number(m[2]), cmd: m[3] };
  }).filter((r) => r.cmd !== self);
  const found: { pid: number; cmd: string }[] = [];
  const walk = (p: number) => {
    for (const r of rows) if (r.ppid === p) { found.push({ pid: r.pid, cmd: r.cmd }); walk(r.pid); }
  };
  walk(pid);
  return found;
}

export const readBytes = (name: string) => fs.readFileSync(wsFile(name));

/**
 * Watches, at the API boundary the extension itself uses, what it asks the editor to show: decorations
 * (set through window.visibleTextEditors), the mapcoderLite.proposalVisible context key (setContext),
 * and modal questions (window.showWarningMessage with modal: true), which `answer` replies to instead of
 * a person. The suite and the extension share one `vscode` API object (the suites are bundled inside the
 * extension's folder), so wrapping its functions is seen by both. `restore()` puts the originals back.
 */
export interface EditorSpy {
  /** How many decoration types the extension left non-empty on the visible editors of `uri`. */
  decorationsOn(uri: vscode.Uri): number;
  /** The last value the extension gave mapcoderLite.proposalVisible (undefined: none since installed). */
  proposalVisible(): boolean | undefined;
  /** Every modal question asked, in order. */
  readonly modals: string[];
  /** Information messages shown, in order. */
  readonly infos: string[];
  /** Replies to modal questions: return one of the offered items, or undefined to dismiss. */
  answer: (message: string, items: string[]) => string | undefined | Promise<string | undefined>;
  restore(): void;
}

export function spyOnEditor(): EditorSpy {
  const win = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
  const cmds = vscode.commands as { -readonly [K in keyof typeof vscode.commands]: (typeof vscode.commands)[K] };
  const visibleGetter = Object.getOwnPropertyDescriptor(win, 'visibleTextEditors');
  assert.ok(visibleGetter?.get && visibleGetter.configurable, 'window.visibleTextEditors is a configurable getter');
  const originals = { showWarningMessage: win.showWarningMessage, showInformationMessage: win.showInformationMessage, executeCommand: cmds.executeCommand };
  // Per editor (the API's editor objects are stable per editor): decoration type key -> ranges set last.
  const decorations = new WeakMap<vscode.TextEditor, Map<string, number>>();
  let visible: boolean | undefined;
  const spy: EditorSpy = {
    modals: [],
    infos: [],
    answer: () => undefined,
    decorationsOn: (uri) => visibleGetter.get!.call(win)
      .filter((e: vscode.TextEditor) => e.document.uri.toString() === uri.toString())
      .reduce((n: number, e: vscode.TextEditor) => n + [...(decorations.get(e)?.values() ?? [])].filter((c) => c > 0).length, 0),
    proposalVisible: () => visible,
    restore: () => {
      Object.defineProperty(win, 'visibleTextEditors', visibleGetter);
      Object.assign(win, { showWarningMessage: originals.showWarningMessage, showInformationMessage: originals.showInformationMessage });
      cmds.executeCommand = originals.executeCommand;
    },
  };
  Object.defineProperty(win, 'visibleTextEditors', {
    configurable: true,
    enumerable: visibleGetter.enumerable,
    get: () => (visibleGetter.get!.call(win) as vscode.TextEditor[]).map((e) => {
      // The API's editor objects are frozen: a wrapper inherits everything and records setDecorations.
      const wrapper = Object.create(e) as vscode.TextEditor;
      Object.defineProperty(wrapper, 'setDecorations', {
        value: (type: vscode.TextEditorDecorationType, ranges: readonly unknown[]) => {
          const byType = decorations.get(e) ?? new Map<string, number>();
          byType.set(type.key, ranges.length);
          decorations.set(e, byType);
          return e.setDecorations(type, ranges as vscode.Range[]);
        },
      });
      return wrapper;
    }),
  });
  win.showWarningMessage = ((message: string, ...rest: unknown[]) => {
    const options = rest[0];
    if (typeof options === 'object' && options !== null && (options as vscode.MessageOptions).modal) {
      spy.modals.push(message);
      return Promise.resolve(spy.answer(message, rest.slice(1).filter((x): x is string => typeof x === 'string')));
    }
    return (originals.showWarningMessage as (...a: unknown[]) => Thenable<unknown>)(message, ...rest);
  }) as typeof win.showWarningMessage;
  win.showInformationMessage = ((message: string, ...rest: unknown[]) => {
    spy.infos.push(message);
    return (originals.showInformationMessage as (...a: unknown[]) => Thenable<unknown>)(message, ...rest);
  }) as typeof win.showInformationMessage;
  cmds.executeCommand = (<T>(id: string, ...args: unknown[]) => {
    if (id === 'setContext' && args[0] === 'mapcoderLite.proposalVisible') visible = Boolean(args[1]);
    return originals.executeCommand<T>(id, ...args);
  }) as typeof cmds.executeCommand;
  return spy;
}

/** Waits for the run whose title starts with `title` to appear in the store and end. */
export async function runEnded(a: TestApi, title: string, timeoutMs = 60_000): Promise<RunState> {
  const summary = await waitFor(`a run of "${title}"`, () => a.store.list().find((r) => r.title.startsWith(title)), timeoutMs);
  return waitFor(`run ${summary.runId} ("${title}") to end`, () => {
    const s = a.store.get(summary.runId);
    return s && s.status !== 'running' ? s : undefined;
  }, timeoutMs);
}

/** The tabs showing `uri` as a text editor. */
export function tabsOf(uri: vscode.Uri): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
}
