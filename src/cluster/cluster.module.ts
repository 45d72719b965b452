import { Global, Module } from '@nestjs/common';
import { AnswerCache } from './answer-cache';
import { ClusterStateService } from './cluster-state.service';
import { ClusterWatcher } from './cluster-watcher.service';
import { LeaderService } from './leader.service';
import { ReadModelShare } from './read-model-share';
import { ReadModelStore } from './read-model.store';
import { TaskDeathTracker } from './task-death-tracker';

/**
 * The cluster as every process sees it: the read model (global: every read serves from it), the
 * watcher leader lock, the watcher that publishes the read model's changes as events, the
 * leader's read model shared with every other process through Redis, and the list answers kept
 * per read-model version.
 */
@Global()
@Module({
  providers: [ClusterStateService, LeaderService, ClusterWatcher, TaskDeathTracker, AnswerCache, ReadModelStore, ReadModelShare],
  exports: [ClusterStateService, LeaderService, AnswerCache],
})
export class ClusterModule {}
