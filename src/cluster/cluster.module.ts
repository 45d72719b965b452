import { Global, Module } from '@nestjs/common';
import { AnswerCache } from './answer-cache';
import { ClusterStateService } from './cluster-state.service';
import { ClusterWatcher } from './cluster-watcher.service';
import { LeaderService } from './leader.service';
import { TaskDeathTracker } from './task-death-tracker';

/**
 * The cluster as every process sees it: the read model (global: every read serves from it), the
 * watcher leader lock, the watcher that publishes the read model's changes as events, and the
 * list answers kept per read-model version.
 */
@Global()
@Module({
  providers: [ClusterStateService, LeaderService, ClusterWatcher, TaskDeathTracker, AnswerCache],
  exports: [ClusterStateService, LeaderService, AnswerCache],
})
export class ClusterModule {}
