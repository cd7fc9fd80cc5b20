import type { PaperDataset } from './datasets';

/** A published pass@1 (%) to show beside ours. */
export interface Published {
  who: string;
  /** Which of our modes it is comparable to. */
  mode: 'direct' | 'mapcoder' | 'lite';
  values: Partial<Record<PaperDataset, number>>;
}

// MapCoder (Islam et al., ACL 2024), Table 1; MapCoder-Lite (Lee, Cho, Choi; EACL 2026 Findings), xCodeEval.
export const PUBLISHED: Published[] = [
  { who: 'MapCoder, GPT-4 (paper)', mode: 'mapcoder', values: { HumanEval: 93.9, MBPP: 83.1, APPS: 22.0, xCodeEval: 45.3, CodeContests: 28.5 } },
  { who: 'MapCoder, ChatGPT (paper)', mode: 'mapcoder', values: { HumanEval: 80.5, MBPP: 78.3, APPS: 11.3, xCodeEval: 27.4, CodeContests: 12.7 } },
  { who: 'MapCoder-Lite paper: Qwen2.5-7B, no adapters', mode: 'mapcoder', values: { xCodeEval: 13.2 } },
  { who: 'MapCoder-Lite paper: Qwen2.5-7B, four adapters', mode: 'lite', values: { xCodeEval: 28.3 } },
];
