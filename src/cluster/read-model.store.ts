import { Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { RedisService } from '../redis/redis.service';
import { EngineState } from './quorum';
import { ReadModelData, SnapshotDelta } from './snapshot-delta';

export const READ_MODEL_SNAPSHOT_KEY = 'swarm-cp:read-model:snapshot';
export const READ_MODEL_DELTAS_KEY = 'swarm-cp:read-model:deltas';
export const READ_MODEL_CHANNEL = 'swarm-cp:read-model:live';
/** Deltas kept after the stored snapshot, at least (the leader stores a snapshot far more often). */
const DELTAS_KEPT = 2000;

/** The engine as the leader's last read found it, and how old its data was when it said so. */
export interface LeaderFreshness {
  ageMs: number;
  engine: EngineState;
  /** The leader's last engine error (code and message), null while its reads succeed. */
  error: { code: string; message: string } | null;
}

/** The leader's whole read model at (epoch, seq): where a replica starts or catches up. */
export interface StoredSnapshot {
  epoch: string;
  seq: number;
  data: ReadModelData;
}

/** One change of the leader's read model, as stored and as sent. */
export interface StoredDelta {
  epoch: string;
  seq: number;
  delta: SnapshotDelta;
}

/** Messages on the channel every replica listens to. */
export type ReadModelMessage =
  | ({ k: 'delta' } & StoredDelta & LeaderFreshness)
  | ({ k: 'hb'; epoch: string; seq: number } & LeaderFreshness);

/**
 * The shared read model in Redis: the watcher leader's whole snapshot under one key (stored when
 * a sequence starts and then now and then, not with every change), each change as a numbered
 * delta in a capped stream, and the same delta announced on a channel - all of one change in one
 * MULTI. A replica that subscribes, then reads the snapshot and the deltas after it, has every
 * change. Derived data only: losing it (a flush, a Redis failover) only makes replicas reload.
 */
@Injectable()
export class ReadModelStore {
  constructor(private readonly redis: RedisService) {}

  /** A connection of its own for the channel (subscribe mode). */
  subscriber(): Redis {
    return this.redis.dedicated('read-model-sub');
  }

  /**
   * Stores the delta and announces it, atomically; with `snapshot` (the whole model at the
   * delta's sequence) that is stored too, and when it starts a new sequence the old deltas go.
   */
  async publish(d: StoredDelta, fresh: LeaderFreshness, snapshot?: { json: string; newEpoch: boolean }): Promise<void> {
    const message: ReadModelMessage = { k: 'delta', ...d, ...fresh };
    const stored = JSON.stringify(d);
    await this.redis.run(async (r) => {
      const m = r.multi();
      if (snapshot?.newEpoch) m.del(READ_MODEL_DELTAS_KEY);
      if (snapshot) m.set(READ_MODEL_SNAPSHOT_KEY, snapshot.json);
      m.xadd(READ_MODEL_DELTAS_KEY, 'MAXLEN', '~', String(DELTAS_KEPT), `${d.seq}-0`, 'd', stored);
      const res = await m.publish(READ_MODEL_CHANNEL, JSON.stringify(message)).exec();
      const failed = res?.find(([e]) => e);
      if (!res || failed) throw failed?.[0] ?? new Error('read model not stored');
    });
  }

  /** A message that is not stored (heartbeats). */
  async announce(message: ReadModelMessage): Promise<void> {
    await this.redis.run((r) => r.publish(READ_MODEL_CHANNEL, JSON.stringify(message)));
  }

  async snapshot(): Promise<StoredSnapshot | null> {
    const raw = await this.redis.run((r) => r.get(READ_MODEL_SNAPSHOT_KEY));
    return raw ? (JSON.parse(raw) as StoredSnapshot) : null;
  }

  /** The stored deltas after `seq`, oldest first. */
  async deltasAfter(seq: number): Promise<StoredDelta[]> {
    const entries = await this.redis.run((r) => r.xrange(READ_MODEL_DELTAS_KEY, `(${seq}-0`, '+'));
    return entries.map(([, fields]) => JSON.parse(fields[1]) as StoredDelta);
  }
}
