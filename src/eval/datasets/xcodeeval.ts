import { parseDuration, parseMemory } from '../../core/problem/limits';
import type { Problem, Sample } from '../../core/types';
import type { EvalProblem } from './types';
import type { UnitTest } from './unittest-db';

export interface XCodeEvalItem {
  src_uid: string;
  description: string;
  input_spec: string;
  output_spec: string;
  notes?: string | null;
  sample_inputs: string[];
  sample_outputs: string[];
  time_limit?: string;
  memory_limit?: string;
  difficulty?: number;
  tags?: string[];
}

/** The statement as Codeforces shows it: legend, input, output, note (the samples go separately). */
export function xcodeStatement(item: XCodeEvalItem): string {
  const parts = [item.description.trim(), `Input\n${item.input_spec.trim()}`, `Output\n${item.output_spec.trim()}`];
  const notes = item.notes?.replace(/^Note\s*/, '').trim();
  if (notes) parts.push(`Note\n${notes}`);
  return parts.join('\n\n');
}

/**
 * xCodeEval program synthesis (validation split), judged as the paper does on the problem's hidden unit
 * tests from xCodeEval's unittest_db (`hidden`, from the data folder's extract of it); without them, on
 * the samples, and the report says so.
 */
export function xcodeEvalProblem(item: XCodeEvalItem, hidden?: UnitTest[]): EvalProblem {
  const samples: Sample[] = item.sample_inputs.map((input, i) => ({ input, outputs: [item.sample_outputs[i] ?? ''] }));
  const problem: Problem = {
    title: `xCodeEval ${item.src_uid}${item.difficulty ? ` (${item.difficulty})` : ''}`,
    statement: xcodeStatement(item),
    samples,
    asserts: [],
    style: { kind: 'stdio' },
    timeLimitMs: item.time_limit ? parseDuration(item.time_limit) : undefined,
    memoryLimitMb: item.memory_limit ? parseMemory(item.memory_limit) : undefined,
  };
  if (hidden?.length) {
    return { id: item.src_uid, dataset: 'xcodeeval', problem, hidden: { kind: 'stdio', tests: hidden.map((t) => ({ input: t.input, outputs: t.output })) }, hiddenAvailable: true };
  }
  return { id: item.src_uid, dataset: 'xcodeeval', problem, hidden: { kind: 'stdio', tests: samples }, hiddenAvailable: false };
}
