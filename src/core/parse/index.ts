// Tolerant parsing of the four agents' replies (docs/agent-protocol.md, "Parsing rules").
// Every parser returns a value for any input and never throws; format problems come back as issues.
export type { ParseIssue, Parsed } from './issues';
export type { Exemplar } from './retrieval';
export { parseRetrieval } from './retrieval';
export { parseConfidence, parseConfidenceExplanation, NEUTRAL_CONFIDENCE } from './confidence';
export { extractCode } from './code';
export { parseDebugReply } from './debug';
export { parsePlan } from './plan';
export { FormatCounter } from './counter';
