// The `mapcoderLite.*` settings as plain data, and their mapping onto the core's options (vscode-free:
// config.ts passes a getter over `workspace.getConfiguration`). A bad value falls back to its default
// and is reported, so one typo never stops a solve.
// llm/config, not llm/index: the index loads the openai SDK, which activation must not pay for.
import { defaultEndpointConfig, SPECULATIONS, type Backend, type EndpointConfig, type Speculation } from '../core/llm/config';
import { LANG_IDS, resolveLang } from '../core/judge/languages';
import { CONSTRAIN_MODES, type Constrain } from '../core/llm/constrain';
import { COMPANION_PORT } from '../core/companion/port';
import { DEFAULT_STRESS_TESTS, MAX_STRESS_TESTS } from '../core/stress-defaults';
import { durationProblem } from '../core/timer';
import { AGENTS, type AgentName, type Lang } from '../core/types';

export const BACKENDS: readonly Backend[] = ['vllm', 'openai', 'llamacpp', 'ollama'];

export interface LangCommands {
  compile?: string[];
  run?: string[];
}

export interface Settings {
  endpoint: string;
  backend: Backend;
  /** Non-empty: one model for all four agents, no adapters. */
  plainModel: string;
  models: Record<AgentName, string>;
  k: number;
  t: number;
  temperature: number;
  maxTokens: number;
  requestTimeoutSeconds: number;
  idleTimeoutSeconds: number;
  /** Undefined: ask with a quick pick. */
  defaultLanguage?: Lang;
  languages: Partial<Record<Lang, LangCommands>>;
  timeLimitMs: number;
  memoryLimitMb: number;
  /** Empty: the built-in prompts. */
  promptsDir: string;
  /** Empty: the extension's global storage. */
  traceDir: string;
  /** Code and debug every plan at once (same outcome, less wall time, more tokens). */
  /** See `Speculation` in the core: `auto` is on for vLLM only. */
  speculativePlans: Speculation;
  constrainedDecoding: Constrain;
  /** Generated inputs per stress check; 0: samples only. */
  stressTests: number;
  /** Listen for Competitive Companion (trusted workspaces only). */
  companion: boolean;
  companionPort: number;
  /** Empty: the first workspace folder. */
  companionFolder: string;
  /** Opt-in flywheel: an accepted solution that passed all samples adds its trajectory to `datasetDir`. */
  collectAccepted: boolean;
  /** Empty: the extension's global storage. */
  datasetDir: string;
}

export const DEFAULT_SETTINGS: Settings = {
  endpoint: 'http://127.0.0.1:8000/v1',
  backend: 'vllm',
  plainModel: '',
  models: Object.fromEntries(AGENTS.map((a) => [a, a])) as Record<AgentName, string>,
  k: 3,
  t: 5,
  temperature: 0,
  maxTokens: 4096,
  requestTimeoutSeconds: 600,
  idleTimeoutSeconds: 60,
  defaultLanguage: undefined,
  languages: {},
  timeLimitMs: 2000,
  memoryLimitMb: 256,
  promptsDir: '',
  traceDir: '',
  speculativePlans: 'auto',
  constrainedDecoding: 'auto',
  stressTests: DEFAULT_STRESS_TESTS,
  companion: true,
  companionPort: COMPANION_PORT,
  companionFolder: '',
  collectAccepted: false,
  datasetDir: '',
};

/** Reads one setting by its key below `mapcoderLite.` (undefined when unset). */
export type SettingsGetter = (key: string) => unknown;

export function readSettings(get: SettingsGetter): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const d = DEFAULT_SETTINGS;

  const str = (key: string, fallback: string): string => {
    const v = get(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'string') return v.trim();
    problems.push(`mapcoderLite.${key} must be a string; using "${fallback}".`);
    return fallback;
  };
  const num = (key: string, fallback: number, min: number, integer: boolean): number => {
    const v = get(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'number' && Number.isFinite(v) && v >= min && (!integer || Number.isInteger(v))) return v;
    problems.push(`mapcoderLite.${key} must be ${integer ? 'an integer' : 'a number'} >= ${min} (got ${JSON.stringify(v)}); using ${fallback}.`);
    return fallback;
  };
  // A time-out a timer can hold (core/timer.ts): a longer one would end every request at once.
  const seconds = (key: string, fallback: number): number => {
    const v = get(key);
    if (v === undefined || v === null) return fallback;
    const problem = typeof v === 'number' ? durationProblem(v) : 'must be a number of seconds';
    if (!problem) return v as number;
    problems.push(`mapcoderLite.${key} ${problem} (got ${JSON.stringify(v)}); using ${fallback}.`);
    return fallback;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const v = get(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v === 'boolean') return v;
    problems.push(`mapcoderLite.${key} must be true or false; using ${fallback}.`);
    return fallback;
  };
  const argv = (key: string): string[] | undefined => {
    const v = get(key);
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return undefined;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string' && x !== '')) return v as string[];
    problems.push(`mapcoderLite.${key} must be a list of non-empty strings (program, then arguments); using the built-in command.`);
    return undefined;
  };

  // Before `auto` existed the setting was a boolean: true and false still mean on and off.
  const speculation = (): Speculation => {
    const v = get('speculativePlans');
    if (v === undefined || v === null) return d.speculativePlans;
    if (typeof v === 'boolean') return v ? 'on' : 'off';
    if (SPECULATIONS.includes(v as Speculation)) return v as Speculation;
    problems.push(`mapcoderLite.speculativePlans must be one of ${SPECULATIONS.join(', ')}; using ${d.speculativePlans}.`);
    return d.speculativePlans;
  };

  const constrain = (): Constrain => {
    const v = get('constrainedDecoding');
    if (v === undefined || v === null) return d.constrainedDecoding;
    if (CONSTRAIN_MODES.includes(v as Constrain)) return v as Constrain;
    problems.push(`mapcoderLite.constrainedDecoding must be one of ${CONSTRAIN_MODES.join(', ')}; using ${d.constrainedDecoding}.`);
    return d.constrainedDecoding;
  };

  const backendName = str('backend', d.backend);
  const backend = BACKENDS.includes(backendName as Backend) ? (backendName as Backend) : d.backend;
  if (backend !== backendName) problems.push(`mapcoderLite.backend "${backendName}" is not one of ${BACKENDS.join(', ')}; using ${d.backend}.`);

  const langName = str('defaultLanguage', '');
  const defaultLanguage = resolveLang(langName);
  if (langName && !defaultLanguage) problems.push(`mapcoderLite.defaultLanguage "${langName}" is not a known language; you will be asked.`);

  const endpoint = str('endpoint', d.endpoint) || d.endpoint;
  if (!/^https?:\/\//i.test(endpoint)) problems.push(`mapcoderLite.endpoint "${endpoint}" should start with http:// or https://.`);

  const languages: Partial<Record<Lang, LangCommands>> = {};
  for (const lang of LANG_IDS) {
    const compile = argv(`languages.${lang}.compile`);
    const run = argv(`languages.${lang}.run`);
    if (compile || run) languages[lang] = { ...(compile && { compile }), ...(run && { run }) };
  }

  return {
    settings: {
      endpoint,
      backend,
      plainModel: str('plainModel', ''),
      models: Object.fromEntries(AGENTS.map((a) => [a, str(`models.${a}`, a) || a])) as Record<AgentName, string>,
      k: num('k', d.k, 1, true),
      t: num('t', d.t, 0, true),
      temperature: num('temperature', d.temperature, 0, false),
      maxTokens: num('maxTokens', d.maxTokens, 1, true),
      requestTimeoutSeconds: seconds('requestTimeoutSeconds', d.requestTimeoutSeconds),
      idleTimeoutSeconds: seconds('idleTimeoutSeconds', d.idleTimeoutSeconds),
      defaultLanguage,
      languages,
      timeLimitMs: num('timeLimitMs', d.timeLimitMs, 1, true),
      memoryLimitMb: num('memoryLimitMb', d.memoryLimitMb, 1, true),
      promptsDir: str('promptsDir', ''),
      traceDir: str('traceDir', ''),
      speculativePlans: speculation(),
      constrainedDecoding: constrain(),
      stressTests: Math.min(num('stressTests', d.stressTests, 0, true), MAX_STRESS_TESTS),
      companion: bool('companion.enabled', d.companion),
      companionPort: Math.min(num('companion.port', d.companionPort, 1, true), 65535),
      companionFolder: str('companion.folder', ''),
      collectAccepted: bool('collectAccepted', d.collectAccepted),
      datasetDir: str('datasetDir', ''),
    },
    problems,
  };
}

export function endpointConfigFrom(s: Settings, apiKey?: string): EndpointConfig {
  const base = defaultEndpointConfig({ backend: s.backend });
  return {
    ...base,
    baseUrl: s.endpoint,
    apiKey: apiKey || undefined,
    models: { ...s.models },
    plainModel: s.plainModel || undefined,
    sampling: { ...base.sampling, temperature: s.temperature, maxTokens: s.maxTokens },
    requestTimeoutMs: Math.round(s.requestTimeoutSeconds * 1000),
    idleTimeoutMs: Math.round(s.idleTimeoutSeconds * 1000),
    knobs: { idleTimeout: 'the setting mapcoderLite.idleTimeoutSeconds', requestTimeout: 'the setting mapcoderLite.requestTimeoutSeconds' },
    constrain: s.constrainedDecoding,
  };
}

/** What `new Judge(...)` takes from the settings. */
export interface JudgeSettings {
  commands: Partial<Record<Lang, LangCommands>>;
  defaultTimeLimitMs: number;
  defaultMemoryLimitMb: number;
}

export function judgeOptionsFrom(s: Settings): JudgeSettings {
  return { commands: s.languages, defaultTimeLimitMs: s.timeLimitMs, defaultMemoryLimitMb: s.memoryLimitMb };
}

