import Module from 'node:module';

// The slice of the `vscode` API that PanelProvider and ProposalRegistry touch, so they can be checked in
// plain Node. `loadWithFakeVscode` makes `import 'vscode'` resolve to it while the provider loads.

type Listener<T> = (e: T) => void;

export class Emitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (l: Listener<T>) => {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  get size(): number {
    return this.listeners.size;
  }
  dispose(): void {
    this.listeners.clear();
  }
}

class Uri {
  constructor(readonly path: string) {}
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri([base.path, ...parts].join('/'));
  }
  toString(): string {
    return `file://${this.path}`;
  }
}

export const trustGranted = new Emitter<void>();
export const configChanged = new Emitter<{ affectsConfiguration(section: string): boolean }>();
export const executed: unknown[][] = [];
export const settings: Record<string, unknown> = { endpoint: 'http://127.0.0.1:8000/v1' };

export const shownMessages: string[] = [];

export const fakeVscode = {
  Uri,
  EventEmitter: Emitter,
  window: {
    activeTextEditor: undefined as { document: { uri: Uri } } | undefined,
    showInformationMessage: async (m: string) => void shownMessages.push(m),
  },
  workspace: {
    isTrusted: true,
    onDidGrantWorkspaceTrust: trustGranted.event,
    onDidChangeConfiguration: configChanged.event,
    getConfiguration: () => ({ get: (key: string, fallback: unknown) => settings[key] ?? fallback }),
  },
  commands: {
    executeCommand: async (...args: unknown[]) => void executed.push(args),
  },
};

export class FakeWebview {
  options: unknown;
  html = '';
  readonly cspSource = 'https://csp.example';
  readonly posted: unknown[] = [];
  readonly received = new Emitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;
  asWebviewUri(uri: Uri): Uri {
    return new Uri(`/webview${uri.path}`);
  }
  postMessage(m: unknown): Promise<boolean> {
    this.posted.push(JSON.parse(JSON.stringify(m)));
    return Promise.resolve(true);
  }
}

export class FakeWebviewView {
  readonly webview = new FakeWebview();
  visible = true;
  shown = 0;
  readonly visibility = new Emitter<void>();
  readonly disposed = new Emitter<void>();
  readonly onDidChangeVisibility = this.visibility.event;
  readonly onDidDispose = this.disposed.event;
  show(): void {
    this.shown++;
  }
}

export class FakeLog {
  readonly lines: string[] = [];
  trace(m: string): void {
    this.lines.push(`trace ${m}`);
  }
  debug(m: string): void {
    this.lines.push(`debug ${m}`);
  }
  warn(m: string): void {
    this.lines.push(`warn ${m}`);
  }
  error(m: string): void {
    this.lines.push(`error ${m}`);
  }
}

const SENTINEL = '/fake/node_modules/vscode/index.js';

/** Loads a module with 'vscode' resolving to the fake; the resolver is restored afterwards. */
export function loadWithFakeVscode<T>(load: () => T): T {
  const M = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolve = M._resolveFilename;
  M._resolveFilename = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? SENTINEL : resolve.call(this, request, ...rest);
  };
  const cached = new Module(SENTINEL);
  cached.exports = fakeVscode;
  cached.loaded = true;
  require.cache[SENTINEL] = cached;
  try {
    return load();
  } finally {
    M._resolveFilename = resolve;
  }
}
