import { Global, Module } from '@nestjs/common';
import { ClusterStateService } from './cluster-state.service';
import { ClusterWatcher } from './cluster-watcher.service';
import { LeaderService } from './leader.service';
import { TaskDeathTracker } from './task-death-tracker';

/**
 * The cluster as every process sees it: the read model (global: every read serves from it), the
 * watcher leader lock, and the watcher that publishes the read model's changes as events.
 */
@Global()
@Module({
  providers: [ClusterStateService, LeaderService, ClusterWatcher, TaskDeathTracker],
  exports: [ClusterStateService, LeaderService],
})
export class ClusterModule {}
