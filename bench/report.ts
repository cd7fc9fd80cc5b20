// The benchmark's figures as Markdown tables (printed, and written to bench/results.md).
import type { LatencyModel } from '../test/fixtures/llm-server/latency';
import type { ActivationFigures, BundleFigures, StreamFigures } from './extension';
import type { JudgeRow } from './judge';
import type { SandboxRow } from './sandbox';
import type { StatementRow } from './statements';
import type { GrammarRow } from './grammar';
import type { EngineRow } from './engine';
import type { FirstSolveFigures } from './first-solve';
import type { PromptFigures } from './prompts';
import type { SolveRow } from './solve';
import type { StressRow } from './stress';
import { ms, ratio } from './stats';

export interface Figures {
  machine: string;
  model: LatencyModel;
  /** The model's real time divided by this. */
  timeScale: number;
  solve?: SolveRow[];
  stress?: StressRow;
  judge?: JudgeRow[];
  sandbox?: SandboxRow[];
  statements?: StatementRow[];
  grammar?: GrammarRow[] | string;
  engine?: EngineRow[] | string;
  prompts?: PromptFigures;
  bundle?: BundleFigures;
  activation?: ActivationFigures;
  stream?: StreamFigures;
  firstSolve?: FirstSolveFigures;
  loadAtEnd?: number;
}

const table = (head: string[], rows: (string | number)[][]) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

const kb = (b: number) => `${(b / 1024).toFixed(1)} KiB`;

function stressSection(r: StressRow): string {
  const step = r.on.stressMs ?? 0;
  return [
    '## Stress tests: their cost in a solve',
    '',
    `The first-try problem (its first program is right) solved without stress tests and with ${r.tests} generated inputs, same latency model, same run. ` +
      'The stress step runs from its first call (brute force and generator, asked at once) to its check\'s end: the brute force on the samples, ' +
      `${r.tests} generator runs, the brute force and the program on the inputs. The model's time is scaled down like the solve section's and the judge's is not, ` +
      'so at a real model\'s speed the share is smaller: the step adds two LLM calls to the eight of this solve, and its judge time stays.',
    '',
    table(['', 'solve', 'stress step', 'share of the solve', 'LLM calls', 'judge runs / time'], [
      ['stress tests off', ms(r.off.wallMs), '—', '—', r.off.calls, `${r.off.judgeCalls} / ${ms(r.off.judgeMs)}`],
      [`stress tests on (${r.tests} inputs)`, ms(r.on.wallMs), ms(step), ratio(step, r.on.wallMs), r.on.calls, `${r.on.judgeCalls} / ${ms(r.on.judgeMs)}`],
      ['on / off', ratio(r.on.wallMs, r.off.wallMs), '', '', `+${r.on.calls - r.off.calls}`, ''],
    ]),
  ].join('\n');
}

function solveSection(rows: SolveRow[], m: LatencyModel, timeScale: number): string {
  const sum = (f: (r: SolveRow) => number) => rows.reduce((n, r) => n + f(r), 0);
  const body = rows.map((r) => [
    `${r.scenario}: ${r.what}`, r.ours.status, ms(r.ours.wallMs), ms(r.seq.wallMs), ratio(r.ours.wallMs, r.seq.wallMs), ms(r.ours.boundMs),
    ratio(r.ours.wallMs, r.ours.boundMs), ms(r.ours.depBoundMs), ratio(r.ours.depBoundMs, r.seq.wallMs), r.ours.calls, r.ours.completionTokens, r.ours.promptTokens, `${r.ours.judgeCalls} / ${ms(r.ours.judgeMs)}`, r.ours.peakBatch,
  ]);
  body.push([
    '**total**', '', ms(sum((r) => r.ours.wallMs)), ms(sum((r) => r.seq.wallMs)), ratio(sum((r) => r.ours.wallMs), sum((r) => r.seq.wallMs)),
    ms(sum((r) => r.ours.boundMs)), ratio(sum((r) => r.ours.wallMs), sum((r) => r.ours.boundMs)),
    ms(sum((r) => r.ours.depBoundMs)), ratio(sum((r) => r.ours.depBoundMs), sum((r) => r.seq.wallMs)), sum((r) => r.ours.calls),
    sum((r) => r.ours.completionTokens), sum((r) => r.ours.promptTokens), `${sum((r) => r.ours.judgeCalls)} / ${ms(sum((r) => r.ours.judgeMs))}`, '',
  ]);
  const floorRatio = rows.map((r) => `${r.scenario} ${ratio(r.ours.boundMs, r.seq.wallMs)}`).join(', ');
  const specBody = rows.map((r) => [
    `${r.scenario}`, ms(r.spec.wallMs), ms(r.seq.wallMs), ratio(r.spec.wallMs, r.seq.wallMs), ratio(r.spec.wallMs, r.ours.wallMs), ratio(r.spec.wallMs, r.ours.depBoundMs),
    r.spec.calls, r.ours.calls, r.spec.completionTokens, r.ours.completionTokens, r.spec.peakBatch,
  ]);
  specBody.push([
    '**total**', ms(sum((r) => r.spec.wallMs)), ms(sum((r) => r.seq.wallMs)), ratio(sum((r) => r.spec.wallMs), sum((r) => r.seq.wallMs)),
    ratio(sum((r) => r.spec.wallMs), sum((r) => r.ours.wallMs)), ratio(sum((r) => r.spec.wallMs), sum((r) => r.ours.depBoundMs)), sum((r) => r.spec.calls), sum((r) => r.ours.calls),
    sum((r) => r.spec.completionTokens), sum((r) => r.ours.completionTokens), '',
  ]);
  return [
    '## Solve: critical path',
    '',
    `Latency model (vLLM-like, time scaled down ${timeScale}×): time to first token ${m.ttftMs} ms + ${m.prefillMsPerToken} ms per prompt token, ` +
      `${m.tokenMs} ms per generated token (streamed ${m.tokensPerChunk} tokens a chunk), ${m.batchSize} sequences decoded at once without slowing each other, ` +
      `more queue; ${m.charsPerToken} characters a token. Real judge (Python), real client, real pipeline. "sequential" is the same pipeline with every ` +
      'LLM call serialized (MapCoder\'s original schedule), measured in the same run; both schedules produced the same program, status and candidates.',
    '',
    table(['problem', 'result', 'ours', 'sequential', 'ours/seq', 'bound', 'ours/bound', 'dependency bound', 'dep bound/seq', 'LLM calls', 'generated tok', 'prompt tok', 'judge runs / time', 'peak batch'], body),
    '',
    'The bound is the sum of what cannot overlap: retrieval, the longest plan+confidence chain, then every coding and debugging call of the plans tried ' +
      'with the judge run after each (model service times plus the judge times measured in the run). No schedule that keeps the MapCoder order ' +
      `(plans tried one after the other, best confidence first) can beat it; bound/sequential per problem: ${floorRatio}.`,
    '',
    'The dependency bound is the shortest any schedule can be when it honours only data dependencies, with unlimited model batch and judge cores: ' +
      'retrieval, then for each plan tried its planning call and its branch (coding, then each judge run and the debugging round that needs its report), ' +
      'all plans side by side, and no sooner than the slowest plan+confidence chain (the result is committed in confidence order). ' +
      'Retrieval writes <algorithm> last, so no planning call starts before it ends. Same service and judge times as the bound; ' +
      'dep bound/sequential is how far any schedule could go.',
    '',
    '### Speculative plans (`--speculate`, setting `speculativePlans`)',
    '',
    'Every plan is coded, judged and debugged as soon as it exists, all plans at once; plans are still committed best confidence first, ' +
      'so the program, status and candidates equal the sequential schedule\'s (checked in the same run). The plan in turn has the judge first: ' +
      'its judge call stops the speculative judge runs in progress (they run again after it) and none starts while it runs, so speculative ' +
      'work only fills the judge while the plan in turn waits on the model. The price is the tokens of branches that lose.',
    '',
    table(['problem', 'speculative', 'sequential', 'spec/seq', 'spec/ours', 'spec/dep bound', 'LLM calls spec', 'LLM calls ours', 'generated tok spec', 'generated tok ours', 'peak batch'], specBody),
    '',
    prefixSection(rows),
  ].join('\n');
}

/** Prompt text a server's prefix cache can serve, per scenario (ordered schedule): the prompt layout's figure. */
function prefixSection(rows: SolveRow[]): string {
  const tok = (chars: number) => Math.round(chars / 4);
  const body = rows.map((r) => [r.scenario, tok(r.ours.prefix.chars), tok(r.ours.prefix.reusable), `${((100 * r.ours.prefix.reusable) / r.ours.prefix.chars).toFixed(1)} %`]);
  const total = rows.reduce((a, r) => ({ chars: a.chars + r.ours.prefix.chars, reusable: a.reusable + r.ours.prefix.reusable }), { chars: 0, reusable: 0 });
  body.push(['**total**', tok(total.chars), tok(total.reusable), `${((100 * total.reusable) / total.chars).toFixed(1)} %`]);
  return [
    '### Prefix cache: prompt tokens sent and what a cache can reuse',
    '',
    'Per request, the longest prefix (chat template included) it shares with an earlier request to the same adapter: what llama.cpp\'s and ' +
      'vLLM\'s prefix caches serve. Tokens are characters / 4. The prompts put what calls of one adapter share first (system, problem, samples, technique).',
    '',
    table(['problem', 'prompt tok', 'reusable prefix tok', 'share'], body),
  ].join('\n');
}

function grammarSection(rows: GrammarRow[] | string): string {
  const head = ['## Constrained replies: the grammar\'s price on the real llama-server', ''];
  if (typeof rows === 'string') return [...head, rows].join('\n');
  return [
    ...head,
    `The tiny test model (1 thread), the same prompts with and without each reply shape's grammar (max_tokens ${rows[0]?.maxTokens}, 3 replies each, ` +
      'prompt cache off). First request: a 1-token reply, free and with a fresh grammar (parsed on that request).',
    '',
    table(['shape', 'tok/s free', 'tok/s constrained', 'constrained/free', 'first request free', 'first request constrained'],
      rows.map((r) => [r.shape, r.freeTokPerS.toFixed(0), r.constrainedTokPerS.toFixed(0), ratio(r.constrainedTokPerS, r.freeTokPerS), ms(r.freeFirstMs), ms(r.constrainedFirstMs)])),
  ].join('\n');
}

function engineSection(rows: EngineRow[] | string): string {
  const head = ['## The local engine against llama-server', ''];
  if (typeof rows === 'string') return [...head, rows].join('\n');
  const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
  const body = rows.flatMap((r) => {
    const e = r.engine;
    const l = r.llamaServer;
    const out: (string | number)[][] = [
      [`${r.model}, ${r.adapters} adapter${r.adapters === 1 ? '' : 's'}: time to first token`, ms(e.ttftMs), ms(l.ttftMs), ratio(e.ttftMs, l.ttftMs)],
      ['tokens per second', e.tokPerS.toFixed(0), l.tokPerS.toFixed(0), ratio(l.tokPerS, e.tokPerS)],
      ['CPU time per token (all threads)', `${e.cpuMsPerToken.toFixed(2)} ms`, `${l.cpuMsPerToken.toFixed(2)} ms`, ratio(e.cpuMsPerToken, l.cpuMsPerToken)],
    ];
    if (e.solveMs !== undefined && l.solveMs !== undefined) out.push([`k = 3 solve (exit ${e.solveExit} / ${l.solveExit})`, ms(e.solveMs), ms(l.solveMs), ratio(e.solveMs, l.solveMs)]);
    out.push(['resident memory', mb(e.rssBytes), mb(l.rssBytes), ratio(e.rssBytes, l.rssBytes)]);
    return out;
  });
  return [
    ...head,
    '`mapcoder-lite serve` (node-llama-cpp) and the test layer\'s llama-server on the same model and adapters, 1 thread, 3 slots of 4,096 tokens; ' +
      'three prompts (15 to ~1,000 tokens), each adapter in turn, streamed, temperature 0, a fresh first line so no prompt is reused, the same request to both in alternating order; medians. ' +
      'CPU time per token is each serving process\'s own (from /proc, prompts included) over those requests: it does not depend on how busy the machine is, the wall times do. ' +
      'The solve: `solve sum.md --lang cpp --k 3 --t 1 --max-tokens 128 --stress off` through the CLI. Resident memory: the serving process after all of it.',
    '',
    table(['', 'engine', 'llama-server', 'engine / llama-server'], body),
    '',
    `Requests: ${rows.map((r) => `${r.requests} per side on the ${r.model.split(' ')[0]} model (max_tokens ${r.maxTokens})`).join(', ')}. ` +
      'Ratios are the engine\'s cost over llama-server\'s (for tokens per second: llama-server\'s rate over the engine\'s): 1.00 is parity, above it the engine is behind.',
  ].join('\n');
}

function statementsSection(rows: StatementRow[]): string {
  return [
    '## Statements: parsing 1 MB of hostile shapes',
    '',
    'Every statement parse is linear: a statement of fence lines only took 16 s at 200 KB and over 120 s at 1 MB before.',
    '',
    table(['shape', 'bytes', 'ms', 'samples found'], rows.map((r) => [r.shape, r.bytes, r.ms, r.samples])),
  ].join('\n');
}

function sandboxSection(rows: SandboxRow[]): string {
  const helper = rows.find((r) => r.wrapper === 'helper, one run')?.msPerRun;
  return [
    '## Sandbox: the cost of one contained run',
    '',
    'Median wall time of one run of `true` (spawn included) per way of building the sandbox. The helper is the judge\'s; ' +
      'bubblewrap gets its closest flags (all namespaces, read-only root, private /tmp and /run, minimal /dev, no capabilities, nobody under root). ' +
      'Sample tests run as a batch: one helper for all of a program\'s tests.',
    '',
    table(['sandbox', 'ms per run', 'vs helper, one run', 'runs'], rows.map((r) => [r.wrapper, r.msPerRun.toFixed(2), helper ? ratio(r.msPerRun, helper) : '-', r.runs])),
  ].join('\n');
}

function judgeSection(rows: JudgeRow[]): string {
  const body = rows.map((r) => [
    r.lang, r.name, `${r.isolation}${r.isolation === 'auto' ? ` (${r.contained})` : ''}`, `${r.passed}/${r.tests}`, ms(r.coldMs), ms(r.warmMs), ms(r.warmSerialMs),
    ms(r.floorMs), ms(r.floorRunsMs), ratio(r.coldMs, r.floorMs), ratio(r.warmMs, r.floorRunsMs), ratio(r.warmSerialMs, r.floorRunsMs), r.secondCached ? 'yes' : 'NO',
  ]);
  return [
    '## Judge against the floor',
    '',
    `Floor: the same work from a shell, one process after the other (compile once, then each test), wall time seen from Node. Python runs the interpreter ` +
      `directly (what \`python3\` resolves to). Judge concurrency ${rows[0]?.concurrency ?? '?'} (cores); "serial" is a judge with concurrency 1. ` +
      'cold = first judge (compile or syntax check + tests); warm = the same program again (its build cached). Medians.',
    '',
    table(['lang', 'program', 'isolation', 'passed', 'cold', 'warm', 'warm serial', 'floor', 'floor runs', 'cold/floor', 'warm/floor runs', 'serial/floor runs', '2nd judge cached'], body),
  ].join('\n');
}

function promptSection(p: PromptFigures): string {
  const steps = [1, 2, 5, 10, 20].filter((r) => r <= p.debugRounds.length);
  return [
    '## Prompt size',
    '',
    `Tokenizer: ${p.tokenizer}; chat template counted as 5 tokens a message. The benchmark problem with k = 3.`,
    '',
    table(['call', 'prompt tokens', 'characters'], p.perCall.map((r) => [r.call, r.tokens, r.chars])),
    '',
    'Debugging request by round (each round gets the latest plan, program and report only; the report shows at most 3 failing tests, fields clipped):',
    '',
    table(['round', ...steps.map(String)], [
      ['tokens, 3 + round failing tests', ...steps.map((r) => p.debugRounds[r - 1])],
      ['tokens, same with 1 MB outputs', ...steps.map((r) => p.debugRoundsHuge[r - 1])],
    ]),
  ].join('\n');
}

function extensionSection(b?: BundleFigures, a?: ActivationFigures, s?: StreamFigures): string {
  const out = ['## Extension'];
  if (b) {
    out.push('', `Production bundles (minified, as \`node esbuild.mjs --production\`): dist/extension.js ${kb(b.extensionBytes)}, dist/webview.js ${kb(b.webviewBytes)}.`,
      `Largest parts of dist/extension.js: ${b.largest.map((l) => `${l.input} ${kb(l.bytes)}`).join(', ')}.`);
  }
  if (a) {
    const top = (xs: Array<{ group: string; bytes: number }>) => xs.slice(0, 6).map((x) => `${x.group} ${kb(x.bytes)}`).join(', ');
    out.push('', `Activation in plain Node with a stand-in \`vscode\` (median of 5 fresh loads): load ${ms(a.requireMs)}, activate() ${ms(a.activateMs)}, ` +
      `${a.commands} commands registered; Node built-ins required: ${a.builtins.join(', ') || 'none'}.`,
      `Code that ran while loading and activating (V8 coverage of the unminified bundle): ${top(a.ran)}.`,
      `Loaded but not run until first use: ${top(a.notRun)}.`);
  }
  if (s) {
    out.push('', `Panel under a ${s.tokens.toLocaleString('en')}-token stream (one token every ${s.streamMs / s.tokens} ms, simulated clock, RunStore + PatchBatcher as the provider wires them): ` +
      `${s.posts} posts to the webview (${s.postsPerSecond.toFixed(1)} a second), ${s.receivedChars.toLocaleString('en')} of ${s.sentChars.toLocaleString('en')} characters received` +
      `${s.receivedChars === s.sentChars ? ' (none dropped)' : ' (TOKENS DROPPED)'}.`);
  }
  return out.join('\n');
}

function firstSolveSection(f: FirstSolveFigures): string {
  const row = (what: string, r: FirstSolveFigures['fresh']) => [what, ms(r.activeMs), ms(r.longestMs), ms(r.cpuMs), r.blockingSpawns.join(', ') || 'none', ms(r.wallMs)];
  return [
    '## First Solve: the extension host\'s blocked time',
    '',
    `\`npm run bench -- --only firstsolve\`: what the extension host's thread does from the Solve command to the first agent call, as RunLifecycle.start does it (the prompts checked, the \`auto\` endpoint probe, the run's core started in its worker thread, its events relayed until the first agent-started event), bundled as the extension is, each run in a fresh Node process against the scripted server; fresh: an empty judge cache (the C helper not built yet), warm: built by the process before. Median of ${f.reps}, load average ${f.load[0].toFixed(1)} at the start, ${f.load[1].toFixed(1)} at the end. ` +
      'Busy: the host\'s event loop not idle (its own accounting; a blocking child process counts in full, and on a loaded machine so does the time the thread waited for a CPU); longest block: the largest delay of libuv\'s 1 ms sampling timer; main-thread CPU: the host thread\'s own time on a CPU (what its work costs whatever the load).',
    '',
    table(['cache', 'event loop busy', 'longest block', 'main-thread CPU', 'blocking child processes', 'command to first agent call'], [row('fresh', f.fresh), row('warm', f.warm)]),
  ].join('\n');
}

export function report(f: Figures): string {
  const parts = [
    '# Performance',
    '',
    `Made by \`npm run bench\` on ${f.machine}${f.loadAtEnd !== undefined ? `, ${f.loadAtEnd.toFixed(1)} at the end` : ''}. Wall times on a shared machine vary from run to run; ratios measured in the same run are the figures to read.`,
  ];
  if (f.solve) parts.push('', solveSection(f.solve, f.model, f.timeScale));
  if (f.stress) parts.push('', stressSection(f.stress));
  if (f.judge) parts.push('', judgeSection(f.judge));
  if (f.sandbox) parts.push('', sandboxSection(f.sandbox));
  if (f.statements) parts.push('', statementsSection(f.statements));
  if (f.grammar) parts.push('', grammarSection(f.grammar));
  if (f.engine) parts.push('', engineSection(f.engine));
  if (f.prompts) parts.push('', promptSection(f.prompts));
  if (f.bundle || f.activation || f.stream) parts.push('', extensionSection(f.bundle, f.activation, f.stream));
  if (f.firstSolve) parts.push('', firstSolveSection(f.firstSolve));
  return parts.join('\n');
}

/**
 * `fresh` (a report of some sections) laid over `old` (the results file so far): each section it has
 * replaces the one of the same heading, or is added at the end; the other sections stay as they were.
 */
export function mergeSections(old: string, fresh: string): string {
  const split = (md: string) => md.split(/^(?=## )/m);
  const [, ...newSections] = split(fresh);
  const [head, ...oldSections] = split(old);
  const title = (s: string) => s.split('\n')[0];
  const merged = oldSections.map((o) => newSections.find((n) => title(n) === title(o)) ?? o);
  const added = newSections.filter((n) => !oldSections.some((o) => title(o) === title(n)));
  const tidy = (s: string) => `${s.trimEnd()}\n\n`;
  return [head, ...merged, ...added].map(tidy).join('').trimEnd() + '\n';
}
