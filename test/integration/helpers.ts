// Shared by the suites that run inside the extension host.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunState, RunSummary } from '../../src/extension/state/run-state';

export const EXTENSION_ID = 'mapcoder-lite.mapcoder-lite';
export const JUDGE_TERMINAL = 'MapCoder-Lite Judge';

/** What the suites read from activate()'s return value. */
export interface TestApi {
  store: {
    current(): RunState | undefined;
    get(runId: string): RunState | undefined;
    list(): RunSummary[];
    onDidChange(listener: (runId: string) => void): { dispose(): void };
  };
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

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
