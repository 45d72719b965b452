import { Module } from '@nestjs/common';
import { PrometheusClient } from './prometheus.client';

/** Prometheus's HTTP API (PROMETHEUS_URL), for the autoscaler's `prometheus` metric. */
@Module({ providers: [PrometheusClient], exports: [PrometheusClient] })
export class PrometheusModule {}
