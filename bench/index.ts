// `npm run bench`: the solve's critical path, the judge, the sandbox, the local engine against llama-server, prompt sizes and the extension's weight.
// Prints a readable report and writes bench/results.md (with --only, the sections it made replace theirs; the rest stay).
// Options: --only solve,stress,judge,sandbox,statements,grammar,engine,prompts,extension,firstsolve
// --reps N (solve runs per scenario and mode, default 1) --time-scale N (model time divided by N, default 20)
// --batch N (sequences the model server decodes at once, default 8; 1 is a server with one slot) --out FILE (default bench/results.md) --judge-reps N (default 3) --tests N (default 10) --engine-reps N (default 5) --first-solve-reps N (default 3).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { BENCH_TIME_SCALE, timeScaled, VLLM_7B } from '../test/fixtures/llm-server/latency';
import { benchActivation, benchBundle, benchStream } from './extension';
import { benchJudge } from './judge';
import { benchPrompts } from './prompts';
import { benchSandboxes } from './sandbox';
import { benchStatements } from './statements';
import { benchGrammar } from './grammar';
import { benchEngine } from './engine';
import { benchFirstSolve } from './first-solve';
import { mergeSections, report, type Figures } from './report';
import { benchSolve } from './solve';
import { benchStress } from './stress';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const ALL = 'solve,stress,judge,sandbox,statements,grammar,engine,prompts,extension,firstsolve';

async function main(): Promise<void> {
  const only = new Set(flag('only', ALL).split(','));
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const timeScale = Number(flag('time-scale', String(BENCH_TIME_SCALE)));
  const model = { ...timeScaled(VLLM_7B, timeScale), batchSize: Number(flag('batch', String(VLLM_7B.batchSize))) };
  const figures: Figures = {
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, load average ${loadavg()[0].toFixed(1)} at start`,
    model,
    timeScale,
  };
  if (only.has('solve')) {
    log('solve: scripted scenarios, sequential vs ours ...');
    figures.solve = await benchSolve(Number(flag('reps', '1')), model, log);
  }
  if (only.has('stress')) {
    log('stress: the stress step\'s time and its share of a solve ...');
    figures.stress = await benchStress(Number(flag('reps', '1')), model, log);
  }
  if (only.has('judge')) {
    log('judge: against the shell floor ...');
    figures.judge = await benchJudge(Number(flag('tests', '10')), Number(flag('judge-reps', '3')), log);
  }
  if (only.has('sandbox') && process.platform === 'linux') {
    log('sandbox: one run of `true` per way of building it ...');
    figures.sandbox = benchSandboxes(40);
  }
  if (only.has('statements')) {
    log('statements: 1 MB hostile statements ...');
    figures.statements = benchStatements();
  }
  if (only.has('grammar')) {
    log('grammar: constrained vs free replies on the real llama-server ...');
    figures.grammar = await benchGrammar(log);
  }
  if (only.has('engine')) {
    log('engine: mapcoder-lite serve against the real llama-server, same model and threads ...');
    figures.engine = await benchEngine(Number(flag('engine-reps', '5')), log);
  }
  if (only.has('prompts')) {
    log('prompts: tokens per call and per debugging round ...');
    figures.prompts = benchPrompts(20);
  }
  if (only.has('extension')) {
    log('extension: bundles, activation, 20,000-token stream ...');
    figures.bundle = await benchBundle();
    figures.activation = await benchActivation();
    figures.stream = benchStream();
  }
  if (only.has('firstsolve')) {
    log('first solve: the extension host\'s blocked time from the command to the first agent call ...');
    figures.firstSolve = await benchFirstSolve(Number(flag('first-solve-reps', '3')), log);
  }
  figures.loadAtEnd = loadavg()[0];
  const md = report(figures);
  process.stdout.write(`${md}\n`);
  const out = flag('out', join(__dirname, 'results.md'));
  const partial = flag('only', ALL) !== ALL && existsSync(out);
  writeFileSync(out, partial ? mergeSections(readFileSync(out, 'utf8'), md) : `${md}\n`);
  log(`written to ${out}`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
