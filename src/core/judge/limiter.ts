// Moved to src/core/limiter.ts (the endpoint client uses it too); kept for src/eval until it imports that.
export { Limiter, type LimiterTicket } from '../limiter';
