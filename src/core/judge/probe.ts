import { spawn, spawnSync } from 'node:child_process';

// The judge's look at the machine (the helper's build, the sandbox, batch, control-group and prlimit
// probes) is written once, as steps that run commands, and run either way: without blocking (the judge
// in the editor's extension host, where a synchronous second stops every extension in the window), or
// at once (callers that must know now: the CLI's capability line, a test deciding what to run). Either
// way once per process: the first answer is kept, and the other way reads it.

/** A command a probe runs: no shell, stderr ignored, killed after `timeoutMs`. */
export interface Command {
  cmd: string;
  args: string[];
  input?: string;
  cwd?: string;
  timeoutMs: number;
}

/** How a command ended (`status` null: it could not start, or was killed). */
export interface Outcome {
  status: number | null;
  stdout: string;
}

/** A probe's steps: they yield what they need (a command's outcome, several at once, another probe's answer) and return the answer. */
export type Steps<T> = Generator<Command | Command[] | Probe<unknown>, T, unknown>;

/** Runs a command within steps. */
export function* command(c: Command): Steps<Outcome> {
  return (yield c) as Outcome;
}

/** Runs commands within steps: side by side without blocking, one after another at once. */
export function* commands(cs: Command[]): Steps<Outcome[]> {
  return (yield cs) as Outcome[];
}

/** Another probe's answer within steps (found once, whichever way asks first). */
export function* answerOf<T>(p: Probe<T>): Steps<T> {
  return (yield p as Probe<unknown>) as T;
}

export class Probe<T> {
  private known: { value: T } | undefined;
  private pending: Promise<T> | undefined;

  constructor(private readonly steps: () => Steps<T>) {}

  /** The answer, found now (blocking) unless already known. */
  now(): T {
    if (this.known) return this.known.value;
    const gen = this.steps();
    let r = gen.next();
    while (!r.done) {
      const step = r.value;
      r = gen.next(step instanceof Probe ? step.now() : Array.isArray(step) ? step.map(runNow) : runNow(step));
    }
    return this.keep(r.value);
  }

  /** The answer, found with child processes the event loop waits for; asked once however many wait. */
  ready(): Promise<T> {
    if (this.known) return Promise.resolve(this.known.value);
    this.pending ??= (async () => {
      const gen = this.steps();
      let r = gen.next();
      while (!r.done) {
        const step = r.value;
        r = gen.next(step instanceof Probe ? await step.ready() : Array.isArray(step) ? await Promise.all(step.map(runLater)) : await runLater(step));
      }
      return this.keep(r.value);
    })();
    return this.pending;
  }

  /** The first answer found stays the answer (a blocking ask may overtake a pending one). */
  private keep(value: T): T {
    this.known ??= { value };
    return this.known.value;
  }
}

function runNow(c: Command): Outcome {
  const r = spawnSync(c.cmd, c.args, { cwd: c.cwd, input: c.input ?? '', encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'], timeout: c.timeoutMs, killSignal: 'SIGKILL' });
  return { status: r.status, stdout: r.stdout ?? '' };
}

function runLater(c: Command): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(c.cmd, c.args, { cwd: c.cwd, stdio: ['pipe', 'pipe', 'ignore'] });
    // A timer of its own, not spawn's `timeout`: that one outlives a command that never started (no
    // `cc`), keeping the process alive for the whole timeout.
    const timer = setTimeout(() => child.kill('SIGKILL'), c.timeoutMs);
    const out: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.on('error', () => {
      clearTimeout(timer);
      resolve({ status: null, stdout: '' });
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout: Buffer.concat(out).toString('utf8') });
    });
    // A command that exits without reading its input: its closed pipe is not the probe's failure.
    child.stdin.on('error', () => undefined);
    child.stdin.end(c.input ?? '');
  });
}
