import { Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { RedisService } from '../redis/redis.service';
import { EngineState } from './quorum';
import { ReadModelData, SnapshotDelta } from './snapshot-delta';

export const READ_MODEL_SNAPSHOT_KEY = 'swarm-cp:read-model:snapshot';
export const READ_MODEL_CHANNEL = 'swarm-cp:read-model:live';

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

/** Messages on the channel every replica listens to. */
export type ReadModelMessage =
  | ({ k: 'delta'; epoch: string; seq: number; delta: SnapshotDelta } & LeaderFreshness)
  | ({ k: 'hb'; epoch: string; seq: number } & LeaderFreshness);

/**
 * The shared read model in Redis: the watcher leader's whole snapshot under one key and each
 * change announced on a channel as a numbered delta. The key and the announcement are written in
 * one MULTI, so a replica that subscribes and then reads the key gets every later delta.
 * Derived data only: losing it (a flush, a Redis failover) only makes replicas read it again.
 */
@Injectable()
export class ReadModelStore {
  constructor(private readonly redis: RedisService) {}

  /** A connection of its own for the channel (subscribe mode). */
  subscriber(): Redis {
    return this.redis.dedicated('read-model-sub');
  }

  /** Stores the snapshot at the delta's sequence and announces the delta, atomically. */
  async publish(snapshot: string, message: ReadModelMessage): Promise<void> {
    await this.redis.run(async (r) => {
      const res = await r.multi().set(READ_MODEL_SNAPSHOT_KEY, snapshot).publish(READ_MODEL_CHANNEL, JSON.stringify(message)).exec();
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
}
