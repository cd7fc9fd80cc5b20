// Every `mapcoderLite.*` setting, declared once: key, package.json type and default, reader. The
// defaults come from the core where the core has one; test/unit/extension/settings-manifest.test.ts
// checks each entry against package.json's `contributes.configuration`, and that package.json declares
// nothing this table lacks. A new setting is one entry here and one in package.json.
// llm/config, not llm/index: the index loads the openai SDK, which activation must not pay for.
import { COMPANION_PORT } from '../../core/companion/port';
import { ENGINE_ROUTES } from '../engine/logic';
import { DEFAULT_K, DEFAULT_MEMORY_LIMIT_MB, DEFAULT_STRESS_TESTS, DEFAULT_T, DEFAULT_TIME_LIMIT_MS, MAX_STRESS_TESTS } from '../../core/defaults';
import type { LangCommands } from '../../core/judge/compile';
import { LANG_IDS, resolveLang } from '../../core/judge/languages';
import { BACKENDS, defaultEndpointConfig, SPECULATIONS, type Speculation } from '../../core/llm/config';
import { CONSTRAIN_MODES } from '../../core/llm/constrain';
import { endpointUrlProblem } from '../../core/llm/endpoint-url';
import { AGENTS, type AgentName, type Lang } from '../../core/types';
import { argv, choice, duration, flag, numeric, refined, text, textByName, type Setting } from './kinds';

const ENDPOINT = defaultEndpointConfig();

/** Settings with one value each, by the field of `Settings` they fill. */
export const SETTINGS = {
  // A URL that cannot work is kept (the panel and the run's error show what the user wrote) and reported.
  endpoint: refined(text('endpoint', ENDPOINT.baseUrl, { blankIsDefault: true }), (url) => ({ value: url, problem: endpointUrlProblem(url) })),
  backend: choice('backend', BACKENDS, ENDPOINT.backend),
  /** Where Solve's model runs: the endpoint, the local engine, or the endpoint when it answers (else the local one is offered). */
  engine: choice('engine', ENGINE_ROUTES, 'auto'),
  /** The local engine's model (a GGUF path, an https:// URL, hf:owner/repo:QUANT); empty: chosen when first needed. */
  localModel: text('local.model', ''),
  /** The local engine's adapter per agent (all four or none). */
  localAdapters: textByName('local.adapters', AGENTS),
  /** The engine stops after this long without a request. */
  localIdleMinutes: numeric('local.idleMinutes', 'number', 15, { minimum: 0.5 }),
  /** Empty: the product's own engine; else this llama-server runs the local model. */
  llamaServerPath: text('llamaServerPath', ''),
  /** Non-empty: one model for all four agents, no adapters. */
  plainModel: text('plainModel', ''),
  k: numeric('k', 'integer', DEFAULT_K, { minimum: 1 }),
  t: numeric('t', 'integer', DEFAULT_T, { minimum: 0 }),
  temperature: numeric('temperature', 'number', ENDPOINT.sampling.temperature, { minimum: 0 }),
  maxTokens: numeric('maxTokens', 'integer', ENDPOINT.sampling.maxTokens, { minimum: 1 }),
  requestTimeoutSeconds: duration('requestTimeoutSeconds', ENDPOINT.requestTimeoutMs / 1000),
  idleTimeoutSeconds: duration('idleTimeoutSeconds', ENDPOINT.idleTimeoutMs / 1000),
  /** Undefined: ask with a quick pick. Aliases (`c++`, `py`) are understood. */
  defaultLanguage: refined(text('defaultLanguage', ''), (name): { value: Lang | undefined; problem?: string } => {
    const lang = resolveLang(name);
    return { value: lang, problem: name && !lang ? `"${name}" is not a known language; you will be asked.` : undefined };
  }, { enum: ['', ...LANG_IDS] }),
  timeLimitMs: numeric('timeLimitMs', 'integer', DEFAULT_TIME_LIMIT_MS, { minimum: 1 }),
  memoryLimitMb: numeric('memoryLimitMb', 'integer', DEFAULT_MEMORY_LIMIT_MB, { minimum: 1 }),
  /** Empty: the built-in prompts. */
  promptsDir: text('promptsDir', ''),
  /** Empty: the extension's global storage. */
  traceDir: text('traceDir', ''),
  /** See `Speculation` in the core: `auto` is on for vLLM only. Before `auto` existed the setting was a boolean. */
  speculativePlans: choice('speculativePlans', SPECULATIONS, 'auto', (v): Speculation | undefined => (typeof v === 'boolean' ? (v ? 'on' : 'off') : undefined)),
  constrainedDecoding: choice('constrainedDecoding', CONSTRAIN_MODES, 'auto'),
  /** Generated inputs per stress check; 0: samples only. */
  stressTests: numeric('stressTests', 'integer', DEFAULT_STRESS_TESTS, { minimum: 0, maximum: MAX_STRESS_TESTS }),
  /** Listen for Competitive Companion (trusted workspaces only). */
  companion: flag('companion.enabled', true),
  companionPort: numeric('companion.port', 'integer', COMPANION_PORT, { minimum: 1, maximum: 65535 }),
  /** Empty: the first workspace folder. */
  companionFolder: text('companion.folder', ''),
  /** Opt-in flywheel: an accepted solution that passed all samples adds its trajectory to `datasetDir`. */
  collectAccepted: flag('collectAccepted', false),
  /** Empty: the extension's global storage. */
  datasetDir: text('datasetDir', ''),
  /** Per folder: a built-in checker's name or a checker program (relative to the workspace folder); empty: `<stem>.checker.<ext>` beside the statement. */
  checker: text('judge.checker', ''),
  /** Per folder: testlib.h (or its folder) for checkers and interactors that include it and have none beside them. */
  testlib: text('judge.testlib', ''),
};

/** The model (vLLM: LoRA module, Ollama: model) each agent asks for; blank: the agent's name. */
export const MODEL_SETTINGS = Object.fromEntries(
  AGENTS.map((a) => [a, text(`models.${a}`, ENDPOINT.models[a], { blankIsDefault: true })]),
) as Record<AgentName, Setting<string>>;

/** Each language's compile and run command; unset: the built-in one. */
export const COMMAND_SETTINGS = Object.fromEntries(
  LANG_IDS.map((lang) => [lang, { compile: argv(`languages.${lang}.compile`), run: argv(`languages.${lang}.run`) }]),
) as Record<Lang, Record<keyof LangCommands, Setting<string[] | undefined>>>;

/** Every setting the extension reads, which is every setting package.json declares. */
export function allSettings(): Setting<unknown>[] {
  return [
    ...Object.values(SETTINGS),
    ...Object.values(MODEL_SETTINGS),
    ...Object.values(COMMAND_SETTINGS).flatMap((c) => [c.compile, c.run]),
  ] as Setting<unknown>[];
}
