export { defaultBaseUrl, defaultEndpointConfig, modelFor, speculates, SPECULATIONS, type Backend, type EndpointConfig, type Sampling, type Speculation } from './config';
export { LlmError, type LlmErrorCode } from './errors';
export { LlmClient, type Completion, type CompletionRequest, type PromptFit } from './client';
export type { AgentCheck, EndpointCheck } from './check';
export type { LoraAdapter, ServerModel } from './backends';
