export type { components, operations, paths } from './openapi';
export { ApiError, createSwarmClient, data, isTerminal, retryDelay } from './client';
export type { Deployment, ErrorBody, EventPayloads, EventType, LogLine, RawResponse, Schemas, SwarmClient, SwarmClientOptions, SwarmEvent } from './client';
export { followSse, readSse } from './sse';
export type { FollowOptions, SseMessage } from './sse';
