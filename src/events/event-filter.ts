import { Caller, inScope } from '../common/auth/roles';
import { BusEvent, EVENT_TYPES, EventType } from './event.types';

/** What a subscriber asked for: event types, and optionally one service. */
export interface EventFilter {
  types: ReadonlySet<EventType>;
  service?: string;
  /** Extra test on the payload (deploymentProgress(id)). */
  where?: (e: BusEvent) => boolean;
}

export const ALL_TYPES: ReadonlySet<EventType> = new Set(EVENT_TYPES);

/** Events about the swarm itself rather than a service: every viewer sees them. */
const UNSCOPED: ReadonlySet<EventType> = new Set(['node', 'cluster']);

/**
 * Whether `caller` may see `e` and asked for it. Node and cluster events concern no service: they
 * are unscoped, and left out when a service is asked for. Service-bound events are checked against
 * the service's labels as published (fail closed: no labels, no match for a scoped token).
 */
export function eventMatches(e: BusEvent, filter: EventFilter, caller: Caller | undefined): boolean {
  if (!filter.types.has(e.type)) return false;
  if (filter.service !== undefined && e.service !== filter.service) return false;
  if (!UNSCOPED.has(e.type) && !inScope(caller, e.labels ?? undefined)) return false;
  return !filter.where || filter.where(e);
}

const STREAM_ID = /^(\d{1,20})-(\d{1,20})$/;

export function isStreamId(id: string): boolean {
  return STREAM_ID.test(id);
}

/** Orders Redis stream ids ("ms-seq") numerically; -1, 0 or 1. */
export function compareStreamIds(a: string, b: string): number {
  const ma = STREAM_ID.exec(a);
  const mb = STREAM_ID.exec(b);
  if (!ma || !mb) throw new Error(`not a stream id: ${ma ? b : a}`);
  const x = BigInt(ma[1]) - BigInt(mb[1]) || BigInt(ma[2]) - BigInt(mb[2]);
  return x === 0n ? 0 : x < 0n ? -1 : 1;
}
