// What the extension keeps of each run and the panel renders: the state (state.ts), the reducer that
// builds it from the pipeline's events (reduce.ts), and its readings for display (views.ts).
export * from './state';
export * from './reduce';
export * from './views';
