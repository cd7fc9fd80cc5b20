// What stress tests cost: the first-try scenario solved with them off (the paper's setting) and on, in
// the same run: the stress step's time (brute force and generator calls, the brute force on the samples,
// N generated inputs through both programs) and its share of the solve.
import { DEFAULT_STRESS_TESTS } from '../src/core/defaults';
import type { LatencyModel } from '../test/fixtures/llm-server/latency';
import { SCENARIOS } from './scenarios';
import { runScenario, type SolveRun } from './solve';
import { median } from './stats';

export interface StressRow {
  tests: number;
  off: SolveRun;
  on: SolveRun;
}

export async function benchStress(reps: number, model: LatencyModel, log: (s: string) => void): Promise<StressRow> {
  const scenario = SCENARIOS.find((s) => s.name === 'first-try')!;
  const runs: { off: SolveRun[]; on: SolveRun[] } = { off: [], on: [] };
  for (let r = 0; r < reps; r++) {
    runs.off.push(await runScenario(scenario, 'ours', model, { stress: { tests: 0 } }));
    runs.on.push(await runScenario(scenario, 'ours', model, { stress: { tests: DEFAULT_STRESS_TESTS } }));
  }
  const pick = (xs: SolveRun[]) => xs.find((x) => x.wallMs === median(xs.map((y) => y.wallMs)))!;
  const row = { tests: DEFAULT_STRESS_TESTS, off: pick(runs.off), on: pick(runs.on) };
  if (row.on.stress?.status !== 'passed' || row.on.code !== row.off.code) {
    throw new Error(`stress bench: the stress step did not pass the right answer (${row.on.stress?.status ?? 'no step'})`);
  }
  log(`  stress: solve ${Math.round(row.off.wallMs)} ms without, ${Math.round(row.on.wallMs)} ms with; step ${Math.round(row.on.stressMs ?? 0)} ms`);
  return row;
}
