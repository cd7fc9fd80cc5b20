// The settings mapped onto the core's options: the endpoint client's and the judge's.
import type { JudgeOptions } from '../../core/judge';
import { defaultEndpointConfig, type EndpointConfig } from '../../core/llm/config';
import type { Settings } from './read';

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
export type JudgeSettings = Required<Pick<JudgeOptions, 'commands' | 'defaultTimeLimitMs' | 'defaultMemoryLimitMb'>>;

export function judgeOptionsFrom(s: Settings): JudgeSettings {
  return { commands: s.languages, defaultTimeLimitMs: s.timeLimitMs, defaultMemoryLimitMb: s.memoryLimitMb };
}
