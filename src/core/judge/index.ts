// The Judge: one per process or run, holding the work folders, build cache and process slots; each
// `judge()` compiles a candidate and runs it on the problem's tests (samples, asserts or conversations).
import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { CompileInfo, JudgeReport, Lang, Sample, TestResult } from '../types';
import { DEFAULT_MEMORY_LIMIT_MB, DEFAULT_TIME_LIMIT_MS } from '../defaults';
import { BuildCache, expandArgv, relativeToBuild, type LangCommands, type Runner } from './compile';
import { DEFAULT_TOLERANCE, type Tolerance } from './compare';
import { assertResults, harnessInput, PYTHON_HARNESS } from './function-harness';
import { LANGS } from './languages';
import { Limiter } from '../limiter';
import { settleAll } from '../settle-all';
import { MEMORY_RLIMIT, STARTUP_MARGIN_MS } from './limits';
import { clampLimit, MAX_MEMORY_LIMIT_MB, MAX_TIME_LIMIT_MS, MIN_MEMORY_LIMIT_MB, MIN_TIME_LIMIT_MS, outputCapFor } from './limit-bounds';
import { abortError, isAbortError } from '../abort';
import { DEFAULT_OUTPUT_CAP_BYTES, runProcess, type RunResult } from './run';
import { runBatch } from './batch';
import { judgeCacheDir, judgeCapabilities, judgeMachine, letProgramThrough, SANDBOX_MARGIN_MS, sandboxWorks, sandboxWrapperReady, type JudgeCapabilities, type JudgeMachine, type SandboxWrapper } from './sandbox';
import { checkProgramsReach, JudgeSetupError } from './reach';
import { checkOutput, toolSource, ToolError, type OutputVerdict, type ToolHost } from './checker';
import { inputFiles, namedFiles, withOutputFile, writeFiles } from './file-io';
import { runInteractions } from './interactive';
import type { JudgeOptions, JudgeRequest, RunContext } from './request';
import { casesOf, compileErrorReport, internalErrorReport } from './reports';
import { announce, cpuJudged, runFailure, tail, testResult } from './test-result';

export { outputsMatch } from './compare';
export { resolveLang, langFromFileName, LANGS, LANG_IDS, fenceMatches } from './languages';
export { runProcess, type RunOptions, type RunResult } from './run';
export type { LangCommands } from './compile';
export { describeIsolation, judgeCapabilities, unsandboxedNote, type Isolation, type JudgeCapabilities } from './sandbox';
export { JudgeSetupError } from './reach';
export { interactiveRefusal } from './checker/find';
export type { JudgeOptions, JudgeRequest } from './request';
export { clampLimit, MAX_MEMORY_LIMIT_MB, MAX_OUTPUT_CAP_BYTES, MAX_TIME_LIMIT_MS, MIN_MEMORY_LIMIT_MB, MIN_TIME_LIMIT_MS, outputCapFor } from './limit-bounds';

/** Runs candidates on sample tests. Holds a temp dir and a build cache until `dispose()`. */
export class Judge {
  private readonly limiter: Limiter;
  private readonly life = new AbortController();
  private readonly active = new Set<Promise<unknown>>();
  private readonly tol: Tolerance;
  private readonly workRoot: string;
  private dirs?: Promise<WorkDirs>;
  private python?: Promise<LangCommands>;
  private disposed = false;
  /**
   * The helpers the runs use (batch runner, control groups), found at the first judging. Like the
   * sandbox's wrapper (`ready()`), without blocking the event loop: the helper's build and the probes
   * run as child processes, once per process.
   */
  private machine?: Promise<JudgeMachine>;
  /** Whether compiles and runs go through the sandbox, once `ready()` found out. */
  private sandbox?: boolean;

  /** Cheap: nothing is probed, built or made until `ready()` or the first `judge()`. */
  constructor(private readonly opts: JudgeOptions = {}) {
    this.limiter = new Limiter(Math.max(1, opts.concurrency ?? availableParallelism()));
    this.tol = { absTol: opts.absTol ?? DEFAULT_TOLERANCE.absTol, relTol: opts.relTol ?? DEFAULT_TOLERANCE.relTol };
    this.workRoot = opts.workRoot ?? judgeCacheDir();
  }

  /** How candidates are contained on this machine, for the CLI and the extension to show (probed now if `ready()` has not run). */
  get capabilities(): JudgeCapabilities {
    return judgeCapabilities(this.sandbox ?? (this.opts.isolation !== 'off' && sandboxWorks()));
  }

  /**
   * Makes the judge's folders and checks that the programs it runs can reach them. Rejects with a
   * JudgeSetupError (one line: the folder and the setting) when they cannot; callers await it before
   * any other work, so that a judge that cannot work stops a run at once.
   */
  async ready(): Promise<void> {
    await this.workDirs();
  }

  /**
   * Resolves with a verdict for anything the candidate does; rejects only with an AbortError, or with
   * the JudgeSetupError of `ready()` (a judge that cannot run any program reports no per-program verdict).
   */
  judge(req: JudgeRequest): Promise<JudgeReport> {
    if (this.disposed) return Promise.reject(new Error('Judge is disposed'));
    // A failure of the judge itself (temp dir not writable, ...) still ends in a report.
    const p = this.judgeNow(req).catch((e: unknown) => {
      if (isAbortError(e) || e instanceof JudgeSetupError) throw e;
      return internalErrorReport(casesOf(req.problem), e);
    });
    this.active.add(p);
    p.then(() => this.active.delete(p), () => this.active.delete(p));
    return p;
  }

  /** Kills whatever still runs and removes the temp dirs. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.life.abort();
    await Promise.allSettled([...this.active]);
    const dirs = await this.dirs?.catch(() => undefined);
    if (dirs) await rm(dirs.root, { recursive: true, force: true });
  }

  private async judgeNow(req: JudgeRequest): Promise<JudgeReport> {
    const signal = req.signal ? AbortSignal.any([req.signal, this.life.signal]) : this.life.signal;
    // Our own signal (never the caller's): every queued and running sample listens on it.
    setMaxListeners(0, signal);
    if (signal.aborted) throw abortError();
    const fn = req.problem.style.kind === 'function';
    const cases = casesOf(req.problem);

    if (fn && req.lang !== 'python3') {
      const compile: CompileInfo = { ok: false, message: `function-style problems run in Python 3 only, not ${LANGS[req.lang].label}`, cached: false, timeMs: 0 };
      req.onCompile?.(compile);
      return compileErrorReport(cases, compile);
    }

    const { builds, root, harness, wrapper } = await this.workDirs();
    this.machine ??= judgeMachine(wrapper);
    const machine = await this.machine;
    const overrides = this.opts.commands?.[req.lang] ?? (req.lang === 'python3' ? await this.pythonCommands(root) : undefined);
    const { build, cached } = await builds.get(req.lang, req.code, overrides, signal, req.priority);
    const compile: CompileInfo = { ok: build.ok, message: build.message, cached, timeMs: build.timeMs };
    req.onCompile?.(compile);
    if (!build.ok) return compileErrorReport(cases, compile);

    const ctx: RunContext = {
      req, build, root, signal, machine,
      run: (overrides?.run ?? LANGS[req.lang].run),
      timeLimitMs: clampLimit(req.problem.timeLimitMs ?? this.opts.defaultTimeLimitMs ?? DEFAULT_TIME_LIMIT_MS, MIN_TIME_LIMIT_MS, MAX_TIME_LIMIT_MS),
      memoryLimitMb: clampLimit(req.problem.memoryLimitMb ?? this.opts.defaultMemoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB, MIN_MEMORY_LIMIT_MB, MAX_MEMORY_LIMIT_MB),
    };
    const { tests, wallClockOnly } = fn ? { tests: await this.runAsserts(ctx, harness), wallClockOnly: false }
      : req.problem.interactive ? { tests: await runInteractions(ctx, cases, { limiter: this.limiter, tools: this.toolHost(ctx, 'interactor'), limits: this.runLimits(ctx) }), wallClockOnly: false } : await this.runSamples(ctx, cases);
    // An unverified test is no failure, but no pass either: the report says so when nothing failed.
    const failed = tests.find((t) => t.verdict !== 'AC' && t.verdict !== 'UV') ?? tests.find((t) => t.verdict === 'UV');
    const passed = tests.filter((t) => t.verdict === 'AC').length;
    return { verdict: failed?.verdict ?? 'AC', passed, total: tests.length, tests, compile, ...(wallClockOnly ? { wallClockOnly } : {}) };
  }

  private workDirs(): Promise<WorkDirs> {
    this.dirs ??= (async () => {
      const wrapper = this.opts.isolation === 'off' ? undefined : await sandboxWrapperReady();
      const sandbox = (this.sandbox = wrapper !== undefined);
      await mkdir(this.workRoot, { recursive: true, mode: 0o700 });
      const root = await mkdtemp(join(this.workRoot, 'judge-'));
      try {
        const harness = join(root, 'harness.py');
        const build = join(root, 'build');
        await Promise.all([writeFile(harness, PYTHON_HARNESS), mkdir(build)]);
        if (sandbox) {
          await letProgramThrough([this.workRoot, root, build], [harness]);
          await checkProgramsReach(root, harness, PYTHON_HARNESS, this.opts.workRoot ? 'the judge\'s workRoot' : 'TMPDIR', this.life.signal);
        }
        const run: Runner = (argv, o, priority) =>
          this.limiter.run(() => runProcess(argv, { ...o, sandbox, ...(wrapper ? { sandboxWrapper: wrapper } : {}), workDir: root }), { signal: o.signal, priority });
        return { root, harness, wrapper, builds: new BuildCache(build, run, this.opts.env) };
      } catch (e) {
        await rm(root, { recursive: true, force: true });
        throw e;
      }
    })();
    return this.dirs;
  }

  /**
   * The built-in Python commands with `python3` replaced by the interpreter it starts, asked once per
   * judge in the environment candidates get. A launcher such as a pyenv shim is a shell script that
   * costs as much again as Python's own start, on every test; the interpreter it picks is the same.
   */
  private pythonCommands(root: string): Promise<LangCommands> {
    const { check, run } = LANGS.python3;
    const withExe = (exe: string): LangCommands => ({ compile: [exe, ...check!.slice(1)], run: [exe, ...run.slice(1)] });
    this.python ??= runProcess([run[0], '-c', 'import sys; print(sys.executable)'], {
      cwd: root, wallLimitMs: 10_000, env: this.opts.env, signal: this.life.signal,
    }).then(
      (r) => {
        const exe = r.exitCode === 0 ? r.stdout.trim() : '';
        return withExe(isAbsolute(exe) ? exe : run[0]);
      },
      () => withExe(run[0]),
    );
    return this.python;
  }

  /** The limits and surroundings of every run of the candidate. */
  private runLimits(ctx: RunContext) {
    return {
      sandbox: ctx.machine.sandbox, ...(ctx.machine.wrapper ? { sandboxWrapper: ctx.machine.wrapper } : {}), workDir: ctx.root, memoryLimitMb: ctx.memoryLimitMb, memoryRlimit: MEMORY_RLIMIT[ctx.req.lang],
      outputCapBytes: outputCapFor(this.opts.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES, ctx.req.problem.samples), env: this.opts.env, signal: ctx.signal,
    };
  }

  /**
   * Runs `argv` once per input: one batch through the helper where it works (one spawn for all, holding
   * as many of the judge's slots as it runs at once), else one process each in a fresh directory.
   * `onResult` hears each run as it ends; every input gets exactly one call.
   */
  private async runAll(ctx: RunContext, argv: string[], inputs: string[], wallMs: number, onResult: (i: number, r: RunResult) => void): Promise<void> {
    const ticket = { signal: ctx.signal, priority: ctx.req.priority };
    // Named files need a folder the judge writes and reads around the run: one spawn each.
    const helper = namedFiles(ctx.req.problem) ? undefined : ctx.machine.batch;
    if (!helper) {
      await settleAll(inputs.map((input, i) => this.limiter.run(async () => onResult(i, await this.runInFreshDir(ctx, argv, input, wallMs)), ticket)));
      return;
    }
    const parallel = Math.min(this.limiter.size, inputs.length);
    await this.limiter.run(() => runBatch(argv, inputs, {
      ...this.runLimits(ctx), wallLimitMs: wallMs, root: ctx.root, helper, parallel, onResult,
    }), { ...ticket, weight: parallel });
  }

  /**
   * One run in a folder of its own: the test's input in the problem's input file or on stdin, its output
   * from the problem's output file or stdout. `tool`: a checker's run, its files given, its output its own.
   */
  private async runInFreshDir(ctx: RunContext, argv: string[], input: string, wallMs: number, tool?: { lang: Lang; files: Record<string, string> }): Promise<RunResult> {
    const cwd = await mkdtemp(join(ctx.root, 'run-'));
    try {
      const io = tool ? undefined : namedFiles(ctx.req.problem);
      const { files, stdin } = tool ? { files: tool.files, stdin: '' } : inputFiles(io, input);
      await writeFiles(cwd, files);
      const limits = { ...this.runLimits(ctx), ...(tool ? { memoryRlimit: MEMORY_RLIMIT[tool.lang] } : {}) };
      const r = await runProcess(argv, { ...limits, cwd, stdin, wallLimitMs: wallMs + (ctx.machine.sandbox ? SANDBOX_MARGIN_MS : 0) });
      return io?.output ? await withOutputFile(r, cwd, io.output, limits.outputCapBytes) : r;
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  }

  /** Checkers and interactors, built through the build cache and run in the judge's sandbox and limits. */
  private toolHost(ctx: RunContext, what: string): ToolHost {
    const ticket = { signal: ctx.signal, priority: ctx.req.priority };
    return {
      command: async (tool) => {
        const { builds, root } = await this.workDirs();
        const overrides = this.opts.commands?.[tool.lang] ?? (tool.lang === 'python3' ? await this.pythonCommands(root) : undefined);
        const { build } = await builds.get(tool.lang, await toolSource(tool), overrides, ctx.signal, ctx.req.priority);
        if (!build.ok) throw new ToolError(`the ${what} ${tool.path} does not compile: ${build.message.split('\n').find((l) => l.trim()) ?? ''}`);
        return expandArgv(overrides?.run ?? LANGS[tool.lang].run, { ...build.vars, mem: String(ctx.memoryLimitMb) });
      },
      run: (tool, argv, files) => this.limiter.run(() => this.runInFreshDir(ctx, argv, '', ctx.timeLimitMs + STARTUP_MARGIN_MS[tool.lang], { lang: tool.lang, files }), ticket),
    };
  }

  /**
   * The samples' verdicts. Where the runner measures CPU time (the batch helper), TLE is decided on CPU
   * time, the wall clock (twice the limit) only a backstop; a test killed by the wall clock alone is run
   * once more before that TLE is believed (a loaded machine can starve a program that would pass).
   */
  private async runSamples(ctx: RunContext, cases: Sample[]): Promise<{ tests: TestResult[]; wallClockOnly: boolean }> {
    const argv = [...expandArgv(ctx.run, { ...ctx.build.vars, mem: String(ctx.memoryLimitMb) }), ...(ctx.req.args ?? [])];
    const byCpu = ctx.machine.batch !== undefined;
    const wallMs = (byCpu ? 2 * ctx.timeLimitMs : ctx.timeLimitMs) + STARTUP_MARGIN_MS[ctx.req.lang];
    const starved = (r: RunResult) => byCpu && r.timedOut && r.cpuMs !== undefined && r.cpuMs <= ctx.timeLimitMs;
    const tests: TestResult[] = [];
    const again: number[] = [];
    // Checkers run once the runs are over (a batch holds the judge's slots until then).
    const checks: Promise<unknown>[] = [];
    const settle = (i: number, r: RunResult) => checks.push(this.sampleResult(ctx, cases[i], i, byCpu ? cpuJudged(r, ctx.timeLimitMs) : r).then((t) => (tests[i] = t)));
    await this.runAll(ctx, argv, cases.map((c) => c.input), wallMs, (i, r) => (starved(r) ? again.push(i) : settle(i, r)));
    let wallClockOnly = false;
    if (again.length) {
      await this.runAll(ctx, argv, again.map((i) => cases[i].input), wallMs, (j, r) => {
        wallClockOnly ||= starved(r);
        settle(again[j], r);
      });
    }
    await settleAll(checks);
    return { tests, wallClockOnly };
  }

  /** A sample's run read as a test result (a clean run's output judged by the problem's checker), announced through `onTest`. */
  private async sampleResult(ctx: RunContext, sample: Sample, index: number, r: RunResult): Promise<TestResult> {
    const failure = runFailure(r);
    const { checker, anyAnswer } = ctx.req.problem;
    const judged: OutputVerdict = failure ? { verdict: failure } : ctx.req.collect ? { verdict: 'AC' }
      : await checkOutput(checker, anyAnswer === true, { input: sample.input, output: r.stdout, answers: sample.outputs }, this.tol, this.toolHost(ctx, 'checker'));
    return announce(ctx, testResult(ctx, sample, index, r, judged));
  }

  /** One process for all asserts (see function-harness.ts); each assert gets the time limit. */
  private async runAsserts(ctx: RunContext, harness: string): Promise<TestResult[]> {
    const asserts = ctx.req.problem.asserts;
    const vars: Record<string, string> = { ...ctx.build.vars, mem: String(ctx.memoryLimitMb) };
    const [cmd, ...rest] = expandArgv(ctx.run, { ...vars, src: harness });
    // The interpreter and its flags up to the harness path; a command without {src} gets it appended.
    const at = rest.indexOf(harness);
    const interpreter = at >= 0 ? [cmd, ...rest.slice(0, at + 1)] : [cmd, ...rest, harness];
    const wallMs = STARTUP_MARGIN_MS.python3 + ctx.timeLimitMs * (asserts.length + 1);
    let tests: TestResult[] = [];
    await this.runAll(ctx, [...interpreter, vars.src, String(ctx.timeLimitMs)], [harnessInput(asserts)], wallMs, (_, r) => {
      tests = assertResults(asserts, r.stdout, r, (s) => tail(relativeToBuild(s, ctx.build.vars.dir)));
    });
    tests.forEach((t) => ctx.req.onTest?.(t));
    return tests;
  }
}

interface WorkDirs {
  root: string;
  builds: BuildCache;
  harness: string;
  /** The sandbox's wrapper; undefined: runs are not isolated. */
  wrapper?: SandboxWrapper;
}

