import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { gauge } from '../monitoring/metrics';
import { EventBus } from '../events/event-bus';
import { ClusterStateService } from './cluster-state.service';
import { LeaderService } from './leader.service';
import { diffSnapshots } from './snapshot-diff';

const watcherLag = gauge('swarm_cp_watcher_lag_seconds', 'seconds since the read model last refreshed from the engine');

/**
 * Turns the read model's refreshes into cluster events. Every process keeps its own read
 * model by polling (and on engine /events); only the leader publishes the diff of consecutive
 * snapshots, so each change is published once per Redis, not once per replica.
 */
@Injectable()
export class ClusterWatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly startedAt = Date.now();
  private lagTimer?: NodeJS.Timeout;

  constructor(
    private readonly state: ClusterStateService,
    private readonly leader: LeaderService,
    private readonly bus: EventBus,
  ) {}

  onApplicationBootstrap(): void {
    this.state.onSnapshot((prev, next) => {
      watcherLag.set(0);
      if (!prev || !this.leader.isLeader) return;
      // Published in order on one connection: the stream keeps the diff's order.
      for (const c of diffSnapshots(prev, next)) {
        void this.bus.publish(c.type, c.payload, c.type === 'node' ? {} : { service: c.service, labels: c.labels });
      }
    });
    this.lagTimer = setInterval(() => {
      const last = this.state.lastSnapshot?.at ?? this.startedAt;
      watcherLag.set((Date.now() - last) / 1000);
    }, 1000);
    this.lagTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.lagTimer);
  }
}
