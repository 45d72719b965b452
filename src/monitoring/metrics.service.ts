import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ClusterStateService } from '../cluster/cluster-state.service';
import { clusterMetricsSource, registerClusterMetrics, setClusterMetricsSource, setReadModelAgeSource } from './cluster-metrics';
import { metricsRegistry } from '../common/metrics';

/** The Prometheus exposition of prom-client's default registry (every module's metrics). */
@Injectable()
export class MetricsService implements OnModuleInit, OnModuleDestroy {
  private readonly source = () => this.state.lastSnapshot;
  private readonly age = () => (this.state.lastSnapshot ? this.state.freshness().ageSeconds : null);

  constructor(private readonly state: ClusterStateService) {}

  onModuleInit(): void {
    registerClusterMetrics();
    setClusterMetricsSource(this.source);
    setReadModelAgeSource(this.age);
  }

  onModuleDestroy(): void {
    if (clusterMetricsSource() === this.source) {
      setClusterMetricsSource(null);
      setReadModelAgeSource(null);
    }
  }

  get contentType(): string {
    return metricsRegistry.contentType;
  }

  scrape(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
