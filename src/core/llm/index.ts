export { defaultBaseUrl, defaultEndpointConfig, modelFor, type Backend, type EndpointConfig, type Sampling } from './config';
export { LlmError, type LlmErrorCode } from './errors';
export { LlmClient, type Completion, type CompletionRequest } from './client';
export type { AgentCheck, EndpointCheck } from './check';
export type { LoraAdapter, ServerModel } from './backends';
