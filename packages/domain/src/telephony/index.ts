export * from './agent-state.ts';
export * from './call-records.ts';
export * from './erlang-c.ts';
export * from './staffing.ts';
export * from './training.ts';
