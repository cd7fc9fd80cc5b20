// The extension's weight: bundle sizes (built as `--production` does, into a temp dir), activation
// in plain Node with a stand-in `vscode` module (time, and which bundled modules ran), and the panel
// under a 20,000-token stream (posts, and that no token is lost).
import * as esbuild from 'esbuild';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { Session } from 'node:inspector';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PipelineEvent } from '../src/core/events';
import { PatchBatcher } from '../src/extension/panel/patch-batcher';
import { snapshot } from '../src/run-state';
import { RunStore } from '../src/extension/state/run-store';
import type { Timers } from '../src/extension/state/timers';
import type { ToWebview } from '../src/panel-protocol';
import { median } from './stats';

const ROOT = resolve(__dirname, '..');

export interface BundleFigures {
  extensionBytes: number;
  webviewBytes: number;
  /** Largest inputs of dist/extension.js, by bytes in the output. */
  largest: Array<{ input: string; bytes: number }>;
}

export interface ActivationFigures {
  requireMs: number;
  activateMs: number;
  commands: number;
  /** Node built-ins required while loading and activating. */
  builtins: string[];
  /** Bundled packages / source folders whose code ran, with their bytes in the bundle. */
  ran: Array<{ group: string; bytes: number }>;
  notRun: Array<{ group: string; bytes: number }>;
  /** The largest files that ran at load, with their bytes. */
  eagerFiles: Array<{ group: string; bytes: number }>;
}

export interface StreamFigures {
  tokens: number;
  streamMs: number;
  posts: number;
  postsPerSecond: number;
  /** Characters the panel received against characters streamed. */
  receivedChars: number;
  sentChars: number;
  storeUpdates: number;
}

async function build(outdir: string, minify: boolean) {
  const common = { bundle: true, minify, sourcemap: false, logLevel: 'silent' as const, metafile: true };
  const [ext, web] = await Promise.all([
    esbuild.build({ ...common, entryPoints: [join(ROOT, 'src/extension/main.ts')], outfile: join(outdir, 'extension.js'), platform: 'node', format: 'cjs', target: 'node18', external: ['vscode'] }),
    esbuild.build({ ...common, entryPoints: [join(ROOT, 'src/webview/main.ts')], outfile: join(outdir, 'webview.js'), platform: 'browser', format: 'iife', target: 'es2022' }),
  ]);
  return { ext, web };
}

export async function benchBundle(): Promise<BundleFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bundle-'));
  try {
    const { ext } = await build(dir, true);
    const out = Object.values(ext.metafile!.outputs)[0];
    const byGroup = new Map<string, number>();
    for (const [input, v] of Object.entries(out.inputs)) byGroup.set(groupOf(input), (byGroup.get(groupOf(input)) ?? 0) + v.bytesInOutput);
    return {
      extensionBytes: statSync(join(dir, 'extension.js')).size,
      webviewBytes: statSync(join(dir, 'webview.js')).size,
      largest: [...byGroup].map(([input, bytes]) => ({ input, bytes })).sort((a, b) => b.bytes - a.bytes).slice(0, 6),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A bundled file's package (node_modules/NAME) or source folder. */
function groupOf(input: string): string {
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (nm) return nm[1];
  const parts = input.replace(/^.*?\bsrc\//, 'src/').split('/');
  return parts.slice(0, Math.min(3, parts.length - 1)).join('/') || input;
}

/** Anything: every property is another stand-in, calling one returns a stand-in, `dispose` works. */
function standIn(): any {
  const cache = new Map<PropertyKey, any>();
  const target = function () {} as any;
  const proxy: any = new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then' || prop === Symbol.iterator || prop === Symbol.asyncIterator) return undefined;
      if (prop === Symbol.toPrimitive) return () => '';
      if (!cache.has(prop)) cache.set(prop, standIn());
      return cache.get(prop);
    },
    set(_t, prop, value) {
      cache.set(prop, value);
      return true;
    },
    apply: () => proxy,
    construct: () => proxy,
  });
  return proxy;
}

/**
 * The `vscode` module: a plain object (the bundle copies its own properties) with every top-level name
 * @types/vscode declares as a stand-in, commands recorded, settings at their defaults, the workspace trusted.
 */
function fakeVscode(commands: string[]): any {
  const dts = readFileSync(join(ROOT, 'node_modules/@types/vscode/index.d.ts'), 'utf8');
  const names = new Set([...dts.matchAll(/^\t?export (?:class|namespace|enum|const|function|let) (\w+)/gm)].map((m) => m[1]));
  const api: Record<string, any> = Object.fromEntries([...names].map((n) => [n, standIn()]));
  const config = { get: (_k: string, d?: unknown) => d, has: () => false, inspect: () => undefined, update: async () => undefined };
  api.commands = new Proxy(api.commands, { get: (c, p) => (p === 'registerCommand' ? (id: string) => (commands.push(id), { dispose() {} }) : c[p]) });
  api.workspace = new Proxy(api.workspace, { get: (w, p) => (p === 'getConfiguration' ? () => config : p === 'isTrusted' ? true : w[p]) });
  return api;
}

function fakeContext(): any {
  const memento = { get: (_k: string, d?: unknown) => d, update: async () => undefined, keys: () => [] };
  return new Proxy(standIn(), {
    get(t, prop) {
      if (prop === 'subscriptions') return (t.__subs ??= []);
      if (prop === 'workspaceState' || prop === 'globalState') return memento;
      if (prop === 'extensionPath') return ROOT;
      return t[prop];
    },
    set(t, prop, v) {
      t[prop] = v;
      return true;
    },
  });
}

/** Loads a freshly built, unminified dist/extension.js in this process and activates it, under V8 coverage. */
export async function benchActivation(): Promise<ActivationFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-activate-'));
  const file = join(dir, 'extension.js');
  const commands: string[] = [];
  const builtins = new Set<string>();
  const vscode = fakeVscode(commands);
  const M = Module as any;
  const load = M._load;
  M._load = function (request: string, parent: unknown, isMain: boolean) {
    if (request === 'vscode') return vscode;
    if (Module.isBuiltin(request)) builtins.add(request.replace(/^node:/, ''));
    return load.call(this, request, parent, isMain);
  };
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<any>((res, rej) => session.post(method, params, (e, r) => (e ? rej(e) : res(r))));
  try {
    await build(dir, false);
    // Timing first, on fresh copies of the bundle (each compiled anew), without the profiler's cost.
    const times = Array.from({ length: 5 }, (_, i) => {
      const copy = join(dir, `timing-${i}.js`);
      copyFileSync(file, copy);
      const a = performance.now();
      const mod = require(copy);
      const b = performance.now();
      mod.activate(fakeContext());
      const c = performance.now();
      mod.deactivate?.();
      return { requireMs: b - a, activateMs: c - b };
    });
    commands.length = 0;
    await post('Profiler.enable');
    await post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
    const ext = require(file);
    ext.activate(fakeContext());
    const { result } = await post('Profiler.takePreciseCoverage');
    const script = result.find((s: any) => s.url.endsWith(file) || s.url === `file://${file}`);
    const { ran, notRun, eagerFiles } = coverageByModule(readFileSync(file, 'utf8'), script?.functions ?? []);
    ext.deactivate?.();
    return {
      requireMs: median(times.map((t) => t.requireMs)), activateMs: median(times.map((t) => t.activateMs)),
      commands: commands.length, builtins: [...builtins].sort(), ran, notRun, eagerFiles,
    };
  } finally {
    M._load = load;
    await post('Profiler.stopPreciseCoverage').catch(() => undefined);
    session.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * How much of each bundled module's code ran while loading and activating. The unminified bundle is
 * split at esbuild's `// path` module comments; a function V8's coverage says was never called (a
 * lazily loaded module's init wrapper, an unused function) counts as not run, the rest as run.
 */
function coverageByModule(code: string, functions: Array<{ ranges: Array<{ startOffset: number; endOffset: number; count: number }> }>) {
  const cold = functions.map((f) => f.ranges[0]).filter((r) => r && r.count === 0).sort((a, b) => a.startOffset - b.startOffset || b.endOffset - a.endOffset);
  // Outermost cold ranges only: a function inside a never-called one adds nothing.
  const outer: Array<{ startOffset: number; endOffset: number }> = [];
  for (const r of cold) if (!outer.length || r.startOffset >= outer[outer.length - 1].endOffset) outer.push(r);
  const ran = new Map<string, number>();
  const notRun = new Map<string, number>();
  const files = new Map<string, number>();
  const add = (into: Map<string, number>, key: string, bytes: number) => bytes > 0 && into.set(key, (into.get(key) ?? 0) + bytes);
  const marks = [...code.matchAll(/^\/\/ ((?:node_modules|src)\/\S+)$/gm)].map((m) => ({ at: m.index!, path: m[1] }));
  marks.forEach((m, i) => {
    const end = marks[i + 1]?.at ?? code.length;
    const coldBytes = outer.reduce((n, r) => n + Math.max(0, Math.min(end, r.endOffset) - Math.max(m.at, r.startOffset)), 0);
    add(ran, groupOf(m.path), end - m.at - coldBytes);
    add(notRun, groupOf(m.path), coldBytes);
    add(files, m.path, end - m.at - coldBytes);
  });
  const list = (x: Map<string, number>) => [...x].map(([group, bytes]) => ({ group, bytes })).sort((a, b) => b.bytes - a.bytes);
  return { ran: list(ran), notRun: list(notRun), eagerFiles: list(files).slice(0, 8) };
}

/** A virtual clock: the panel's timers fire as the simulated stream time passes. */
class VirtualTimers implements Timers {
  now = 0;
  private next = 1;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.due.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(id: unknown): void {
    this.due.delete(id as number);
  }
  advance(to: number): void {
    for (;;) {
      const first = [...this.due].filter(([, d]) => d.at <= to).sort((a, b) => a[1].at - b[1].at)[0];
      if (!first) break;
      this.due.delete(first[0]);
      this.now = first[1].at;
      first[1].fn();
    }
    this.now = to;
  }
}

/**
 * 20,000 tokens (one every `tokenMs` of simulated time, as a 7B model streams) through the store and
 * the panel's batcher, as the extension wires them; counts the posts and checks every character arrived.
 */
export function benchStream(tokens = 20_000, tokenMs = 20): StreamFigures {
  const timers = new VirtualTimers();
  const store = new RunStore({ timers });
  const posts: ToWebview[] = [];
  // The source as the panel provider builds it.
  const source = { snapshot: (id: string) => { const r = store.get(id); return r && snapshot(r); }, history: () => store.list() };
  const batcher = new PatchBatcher((m) => posts.push(m), source, { timers });
  let updates = 0;
  store.onDidUpdate((u) => {
    updates++;
    if (u.tokens) batcher.tokens(u.runId, u.tokens.callId, u.tokens.text);
    else batcher.run(u.runId);
  });
  const runId = 'bench';
  store.start({ runId, title: 'Best Segment', lang: 'python3', mode: 'mapcoder', startedAt: 0 });
  const feed = (e: PipelineEvent) => store.apply(runId, e);
  feed({ type: 'agent-started', callId: 'c1', step: { kind: 'code', agent: 'coding', plan: 0 }, model: 'coding', attempt: 1, messages: [], at: 0 });
  let sent = '';
  for (let i = 0; i < tokens; i++) {
    const delta = `t${i % 10} `;
    sent += delta;
    timers.advance(i * tokenMs);
    feed({ type: 'token', callId: 'c1', delta });
  }
  timers.advance(tokens * tokenMs + 1000);
  // What the webview holds: the last full snapshot, then the patches after it.
  let received = '';
  for (const m of posts) {
    if (m.type === 'run') received = m.run.calls.find((c) => c.callId === 'c1')?.chunks.join('') ?? received;
    else if (m.type === 'patch') received += m.appends.filter((a) => a.callId === 'c1').map((a) => a.text).join('');
  }
  const streamMs = tokens * tokenMs;
  return { tokens, streamMs, posts: posts.length, postsPerSecond: posts.length / (streamMs / 1000), receivedChars: received.length, sentChars: sent.length, storeUpdates: updates };
}
