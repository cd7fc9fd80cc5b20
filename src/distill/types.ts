import type { SolveStatus, StepKind } from '../core/events';
import type { AgentName, ChatMessage, Lang } from '../core/types';

/** Where a training example came from. */
export type ExampleSource = 'collect' | 'collect-debug' | 'supervise' | 'flywheel';
export const EXAMPLE_SOURCES: readonly ExampleSource[] = ['collect', 'collect-debug', 'supervise', 'flywheel'];

/**
 * One agent call turned into supervised data: the prompt exactly as the agent received it (system +
 * user, rendered by our templates) and the reply normalised to the protocol's shape.
 */
export interface TrainingExample {
  agent: AgentName;
  /** Which call of the flow (plan and confidence both train the planning adapter). */
  kind: StepKind;
  messages: ChatMessage[];
  reply: string;
  source: ExampleSource;
  /** `dataset/id` of the problem: the unit of the train/validation split. */
  problem: string;
  /** Hash of the prompt templates the messages were rendered with. */
  promptsHash: string;
  /** The model that wrote the reply, as the server named it. */
  model: string;
}

/** Why the supervisor was asked and what came of it (supervise records only). */
export interface SupervisionOutcome {
  /** The agent the supervisor blamed, or undefined when its reply named none. */
  blame?: 'planning' | 'coding';
  feedback?: string;
  /** The re-run program passed every hidden test. */
  corrected: boolean;
  /** The final program of the re-run, on samples and hidden tests. */
  samples?: { passed: number; total: number };
  hidden?: { passed: number; total: number };
}

/** One JSONL line of a distillation results file: one problem, done (never redone on resume). */
export interface DistillRecord {
  id: string;
  dataset: string;
  source: ExampleSource;
  lang: Lang;
  k: number;
  t: number;
  status: SolveStatus;
  /** Whether the trajectory (or the correction) yielded training data. */
  kept: boolean;
  /** One phrase: why it was kept or dropped. */
  reason: string;
  samples: { passed: number; total: number };
  /** `available: false`: the problem set has no hidden tests and these are the samples again. */
  hidden: { passed: number; total: number; available: boolean; error?: string };
  examples: TrainingExample[];
  promptsHash: string;
  calls: number;
  seconds: number;
  supervision?: SupervisionOutcome;
  error?: string;
}
