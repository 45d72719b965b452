// Generated from openapi.yaml by openapi-typescript (`npm run openapi`). Do not edit.

export interface paths {
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers */
        get: operations["HealthController_live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: a manager endpoint of DOCKER_HOST and Redis answer (details: the endpoint in use, failovers, the read model) */
        get: operations["HealthController_ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: operations["MetricsController_scrape"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/alerts/alertmanager": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Alertmanager's webhook receiver (webhook_config, payload version 4) */
        post: operations["AlertingController_alertmanager"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Query the audit log */
        get: operations["AuditController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/autoscaling/decisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List autoscaling decisions, newest first */
        get: operations["AutoscalingController_decisions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chatops/commands": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a chat command */
        post: operations["ChatopsController_command"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/cluster": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Cluster overview */
        get: operations["ClusterController_overview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deployments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List deployments, newest first */
        get: operations["DeploymentsController_list"];
        put?: never;
        /** Deploy an image (rolling or blue-green) */
        post: operations["DeploymentsController_deploy"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deployments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a deployment */
        get: operations["DeploymentsController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deployments/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a queued or running deployment */
        post: operations["DeploymentsController_cancel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deployments/{id}/promote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Promote a blue-green deployment awaiting promotion */
        post: operations["DeploymentsController_promote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deployments/{id}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Roll a deployment back */
        post: operations["DeploymentsController_rollback"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Follow live events (Server-Sent Events) */
        get: operations["EventsController_stream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/nodes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List nodes
         * @description by hostname; filtered as `docker node ls --filter`; a page with `limit` and `cursor`
         */
        get: operations["NodesController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/nodes/{idOrHostname}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a node by id or hostname */
        get: operations["NodesController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/nodes/{idOrHostname}/availability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set a node's availability (active, pause, drain) */
        put: operations["NodesController_availability"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/nodes/{idOrHostname}/labels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Add or remove node labels */
        put: operations["NodesController_label"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/nodes/{idOrHostname}/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the tasks on a node
         * @description wanted ones, and ones still running there (desired shutdown while the node is down), of the services the caller may see; by service, slot, newest first; a page with `limit` and `cursor`
         */
        get: operations["NodesController_tasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/placement/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Plan a placement without changing anything */
        post: operations["PlacementController_plan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/scale": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Scale several services, atomically or not */
        post: operations["ScalingController_scaleBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/services": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List services
         * @description filtered as `docker service ls --filter`, by name; a page with `limit` and `cursor`
         */
        get: operations["ServicesController_list"];
        put?: never;
        /**
         * Create a service
         * @description Unknown fields are refused. Host-level settings need BIND_MOUNT_ALLOWLIST / SPEC_ALLOW (403 SPEC_NOT_ALLOWED).
         */
        post: operations["ServiceLifecycleController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/services/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a service */
        get: operations["ServicesController_get"];
        put?: never;
        post?: never;
        /** Remove a service */
        delete: operations["ServiceLifecycleController_remove"];
        options?: never;
        head?: never;
        /**
         * Change a service spec
         * @description Groups not given stay. Object groups merge field by field; lists and maps replace; null clears a top-level group (and resources.limits/reservations); 0 for cpus, memory or maxReplicasPerNode means none. Stale If-Match: 409 VERSION_CONFLICT.
         */
        patch: operations["ServiceLifecycleController_update"];
        trace?: never;
    };
    "/v1/services/{name}/alert-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A service's alert rules (which Alertmanager alert scales it, and how) */
        get: operations["AlertingController_get"];
        /** Set a service's alert rules (replaces them) */
        put: operations["AlertingController_set"];
        post?: never;
        /** Remove a service's alert rules */
        delete: operations["AlertingController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/services/{name}/autoscaling": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a service's autoscaling policy */
        get: operations["AutoscalingController_get"];
        /** Set a service's autoscaling policy */
        put: operations["AutoscalingController_set"];
        post?: never;
        /** Remove a service's autoscaling policy */
        delete: operations["AutoscalingController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/services/{name}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A service's logs, as text or followed (SSE) */
        get: operations["ServiceMonitoringController_serviceLogs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/services/{name}/placement": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Change a service's placement */
        put: operations["PlacementController_update"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/services/{name}/rebalance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Spread a service's tasks again (rolling replacement) */
        post: operations["PlacementController_rebalance"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/services/{name}/replicas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Scale one service */
        put: operations["ScalingController_scale"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/services/{name}/resources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Vertical scaling: CPU and memory limits and reservations
         * @description Merged like PATCH resources. A reservation above its limit is 400; one no ready, active node can hold is 422 UNSCHEDULABLE unless force.
         */
        put: operations["ServiceLifecycleController_resources"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/services/{name}/rollback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Roll a service back to its previous spec */
        post: operations["DeploymentsController_rollbackService"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/services/{name}/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** CPU and memory of a service's tasks */
        get: operations["ServiceMonitoringController_serviceStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/services/{name}/tasks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a service's tasks
         * @description by slot, newest first; filtered as `docker service ps --filter`; a page with `limit` and `cursor`
         */
        get: operations["ServicesController_tasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calling token's name, role and scope */
        get: operations["WhoamiController_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AlertMatcherInput: {
            /**
             * @description label name
             * @example service
             */
            name: string;
            /**
             * @description default "="
             * @enum {string|null}
             */
            op?: "=" | "!=" | "=~" | "!~" | null;
            /**
             * @description a missing label matches as ""; regular expressions are anchored, as in Alertmanager
             * @example web
             */
            value: string;
        };
        AlertMatcherView: {
            name: string;
            /** @enum {string} */
            op: "=" | "!=" | "=~" | "!~";
            value: string;
        };
        AlertOutcomeView: {
            alertname: string | null;
            /** @description the decision code (GET /v1/autoscaling/decisions) */
            code: string | null;
            decisionId: string | null;
            fingerprint: string;
            message: string | null;
            /**
             * @description scaled: acted; held: a rule matched but did not act (cooldown, bounds, see code); duplicate: this alert (group, fingerprint, startsAt) already acted; unmatched: no enabled rule matches; resolved: resolved alerts never scale; failed: the scale failed
             * @enum {string}
             */
            outcome: "scaled" | "held" | "duplicate" | "unmatched" | "resolved" | "failed";
            rule: string | null;
            /** @description the service of the matching rule */
            service: string | null;
            /** @enum {string} */
            status: "firing" | "resolved";
        };
        AlertReceiptView: {
            received: number;
            results: components["schemas"]["AlertOutcomeView"][];
        };
        AlertRuleInput: {
            /** @enum {string} */
            action: "scale-up" | "scale-down";
            /**
             * @description the alert's alertname label
             * @example SwarmServiceDown
             */
            alertname: string;
            /** @description no action by this rule within this many seconds of its last one (default 300) */
            cooldownSeconds?: number | null;
            /** @description default true */
            enabled?: boolean | null;
            /** @description the alert's other labels, all must match (default none) */
            matchers?: components["schemas"]["AlertMatcherInput"][] | null;
            /** @description see minReplicas; at most MAX_REPLICAS */
            maxReplicas?: number | null;
            /** @description the rule's own bounds, used when the service has no enabled autoscaling policy (then required) */
            minReplicas?: number | null;
            /**
             * @description names the rule within the service (decisions and audit entries carry it)
             * @example down-restart
             */
            name: string;
            /** @description replicas added or removed per firing alert (default 1) */
            step?: number | null;
        };
        AlertRuleSetView: {
            rules: components["schemas"]["AlertRuleView"][];
            service: string;
            updatedAt: string;
            updatedBy: string;
        };
        AlertRuleView: {
            /** @enum {string} */
            action: "scale-up" | "scale-down";
            alertname: string;
            cooldownSeconds: number;
            enabled: boolean;
            matchers: components["schemas"]["AlertMatcherView"][];
            maxReplicas?: number | null;
            minReplicas?: number | null;
            name: string;
            step: number;
        };
        AlertRulesInput: {
            rules: components["schemas"]["AlertRuleInput"][];
        };
        AlertmanagerAlertBody: {
            annotations?: {
                [key: string]: string;
            };
            /** @description RFC 3339 (0001-01-01T00:00:00Z while firing) */
            endsAt?: string;
            /** @description Alertmanager's hash of the alert's labels */
            fingerprint: string;
            generatorURL?: string;
            /**
             * @example {
             *       "alertname": "SwarmServiceDown",
             *       "service": "web"
             *     }
             */
            labels: {
                [key: string]: string;
            };
            /** @description RFC 3339 */
            startsAt: string;
            /** @enum {string} */
            status: "firing" | "resolved";
        };
        AlertmanagerWebhookBody: {
            alerts: components["schemas"]["AlertmanagerAlertBody"][];
            commonAnnotations?: {
                [key: string]: string;
            };
            commonLabels?: {
                [key: string]: string;
            };
            externalURL?: string;
            /** @description the alert group across notifications */
            groupKey: string;
            groupLabels?: {
                [key: string]: string;
            };
            receiver?: string;
            /** @enum {string} */
            status: "firing" | "resolved";
            truncatedAlerts?: number;
            /** @enum {string} */
            version: "4";
        };
        AuditEntryView: {
            /** @example service.scale */
            action: string;
            /** @description token name, "slack:<user>" or "autoscaler" */
            actor: string;
            after?: {
                [key: string]: unknown;
            } | null;
            /** @description ISO 8601 */
            at: string;
            before?: {
                [key: string]: unknown;
            } | null;
            /** @description stream id (time-ordered) */
            id: string;
            outcome: components["schemas"]["AuditOutcome"];
            /** @description the request as received (secret-looking values redacted) */
            request?: {
                [key: string]: unknown;
            } | null;
            requestId?: string | null;
            role: string;
            services: string[];
            target?: string | null;
            /** @enum {string} */
            via: "rest" | "graphql" | "chatops" | "job";
        };
        AuditList: {
            items: components["schemas"]["AuditEntryView"][];
        };
        AuditOutcome: {
            code?: string | null;
            httpStatus?: number | null;
            message?: string | null;
            /**
             * @description pending: the mutation was received and its outcome is not recorded yet; one that stays pending was cut short by its process ending
             * @enum {string}
             */
            status: "succeeded" | "failed" | "pending";
        };
        AutoscalingDecisionEvent: {
            /** @description scale-up, scale-down, none */
            action: string;
            /** @description true when the replica count was changed */
            applied?: boolean | null;
            at: string;
            /** @description why, machine-readable (AutoscalingDecision.code) */
            code?: string | null;
            /** @description the decision id in GET /v1/autoscaling/decisions */
            decisionId?: string | null;
            dryRun?: boolean | null;
            /** @description replicas before */
            from: number;
            /** @description true when the change was held back (cooldown, bounds, dry run) */
            held?: boolean | null;
            /** @description the metric that decided, e.g. cpu */
            metric?: string | null;
            reason?: string | null;
            service: string;
            target?: number | null;
            /** @description replicas after (equal to from when nothing changed) */
            to: number;
            value?: number | null;
        };
        AutoscalingDecisionList: {
            items: components["schemas"]["AutoscalingDecisionView"][];
        };
        AutoscalingDecisionView: {
            /** @enum {string} */
            action: "scale-up" | "scale-down" | "none" | "skip";
            /** @description true when the replica count was changed */
            applied: boolean;
            at: string;
            /** @description why: metric, below-min, above-max, within-tolerance, at-max, at-min, cooldown, stabilizing, missing-metrics, no-metrics, scaled-to-zero, deployment-running, service-not-found, not-replicated, no-resource-basis, stats-unavailable, query-failed, scale-failed; alert-driven: alert (inputs.source "alertmanager"), no-bounds */
            code: string;
            /** @description replicas before the decision; null when the service could not be read */
            current?: number | null;
            desired?: number | null;
            dryRun: boolean;
            id: string;
            /** @description what the decision was computed from (metric samples, window, cooldown, policy bounds) */
            inputs: {
                [key: string]: unknown;
            };
            reason: string;
            service: string;
        };
        AutoscalingPolicyInput: {
            /** @description decide and record, never scale (default false) */
            dryRun?: boolean | null;
            /** @description default true; a disabled policy neither scales nor bounds manual scaling */
            enabled?: boolean | null;
            /**
             * @description at most MAX_REPLICAS
             * @example 6
             */
            maxReplicas: number;
            /** @description most replicas removed by one decision (default: no limit) */
            maxStepDown?: number | null;
            /** @description most replicas added by one decision (default: no limit) */
            maxStepUp?: number | null;
            /**
             * @description cpu or memory (per task, targetPercent), or prometheus (a PromQL query and a target per replica)
             * @enum {string}
             */
            metric: "cpu" | "memory" | "prometheus";
            /** @example 2 */
            minReplicas: number;
            /**
             * @description prometheus (required): a PromQL instant query; its result summed over all series is the service's total
             * @example sum(queue_jobs_waiting{queue="mail"})
             */
            query?: string | null;
            /** @description scale down only to the highest recommendation made within this many seconds (default 300, as the HPA) */
            scaleDownStabilizationSeconds?: number | null;
            /** @description no scale-up within this many seconds of the last one the autoscaler applied (default 60) */
            scaleUpCooldownSeconds?: number | null;
            /**
             * @description prometheus (required): the value per replica to keep; desired = ceil(total / target) (the HPA AverageValue)
             * @example 30
             */
            target?: number | null;
            /**
             * @description cpu and memory (required): percent of the task's limit, or of its reservation when it has no limit; in (0, 100]
             * @example 60
             */
            targetPercent?: number | null;
            /** @description no change while |metric/target - 1| <= tolerance (default 0.1) */
            tolerance?: number | null;
        };
        AutoscalingPolicyView: {
            /**
             * @description what targetPercent is a percentage of for this service's tasks now; null when it has neither (the policy then idles) or for prometheus
             * @enum {string|null}
             */
            basis?: "limit" | "reservation" | null;
            dryRun: boolean;
            enabled: boolean;
            maxReplicas: number;
            /** @description null: no limit */
            maxStepDown?: number | null;
            /** @description null: no limit */
            maxStepUp?: number | null;
            /** @enum {string} */
            metric: "cpu" | "memory" | "prometheus";
            minReplicas: number;
            /** @description prometheus: the PromQL query; null otherwise */
            query?: string | null;
            scaleDownStabilizationSeconds: number;
            scaleUpCooldownSeconds: number;
            service: string;
            /** @description prometheus: the value per replica to keep; null otherwise */
            target?: number | null;
            /** @description cpu and memory; null for prometheus */
            targetPercent?: number | null;
            tolerance: number;
            updatedAt: string;
            updatedBy: string;
        };
        BlueGreenSettings: {
            /** @description switch traffic as soon as green is ready and verified (default true); otherwise wait for promote */
            autoPromote?: boolean | null;
            /**
             * @description the old colour during the keep window (default stopped: scaled to 0)
             * @enum {string|null}
             */
            keepOld?: "stopped" | "running" | null;
            /** @description how long the old colour is kept after the switch (default BLUE_GREEN_KEEP_SECONDS) */
            keepSeconds?: number | null;
            verify?: components["schemas"]["VerifyProbe"] | null;
        };
        ChatAnswer: {
            /** @description JSON posts: the structured result */
            data?: {
                [key: string]: unknown;
            };
            /**
             * @description Slack: in_channel for results, ephemeral for mistakes
             * @enum {string}
             */
            response_type: "in_channel" | "ephemeral";
            /** @description human-readable answer (Slack mrkdwn) */
            text: string;
        };
        ChatCommandInput: {
            /**
             * @description the command as typed, e.g. "scale web=5 api=3", "status web", "help"
             * @example scale web=5
             */
            text: string;
        };
        ClusterOverview: {
            deployments: components["schemas"]["DeploymentCounts"];
            /** @description the swarm leader (manager) */
            leader?: components["schemas"]["LeaderView"] | null;
            nodes: components["schemas"]["NodeCounts"];
            quorum: components["schemas"]["QuorumView"];
            readModel: components["schemas"]["ReadModelStatus"];
            services: components["schemas"]["ServiceCounts"];
            /** @description when the read model was refreshed (ISO 8601) */
            snapshotAt: string;
            tasks: components["schemas"]["TaskCounts"];
        };
        CreateServiceInput: {
            args?: string[] | null;
            /** @description Linux capabilities to add (needs SPEC_ALLOW=capAdd:<CAP>) */
            capAdd?: string[] | null;
            /** @description Linux capabilities to drop */
            capDrop?: string[] | null;
            /** @description entrypoint override */
            command?: string[] | null;
            /** @description host devices; refused */
            devices?: string[] | null;
            /** @enum {string|null} */
            endpointMode?: "vip" | "dnsrr" | null;
            /** @description environment as { KEY: "value" }; replaces the whole map */
            env?: {
                [key: string]: unknown;
            } | null;
            healthcheck?: components["schemas"]["HealthcheckInput"] | null;
            /** @example lab/web:v1 */
            image: string;
            /** @description IPC namespace ("host"); refused */
            ipc?: string | null;
            /** @description service labels; replaces the whole map */
            labels?: {
                [key: string]: unknown;
            } | null;
            /**
             * @description default replicated; cannot change after create
             * @enum {string|null}
             */
            mode?: "replicated" | "global" | null;
            mounts?: components["schemas"]["MountInput"][] | null;
            /** @example web */
            name: string;
            networks?: components["schemas"]["NetworkInput"][] | null;
            /** @description PID namespace ("host"); refused */
            pid?: string | null;
            placement?: components["schemas"]["PlacementInput"] | null;
            ports?: components["schemas"]["PortInput"][] | null;
            /** @description not supported by Swarm services; refused */
            privileged?: boolean | null;
            /** @description replicated mode only; default 1, at most MAX_REPLICAS */
            replicas?: number | null;
            resources?: components["schemas"]["ResourcesInput"] | null;
            restartPolicy?: components["schemas"]["RestartPolicyInput"] | null;
            rollbackConfig?: components["schemas"]["UpdateConfigInput"] | null;
            /** @description namespaced sysctls (needs SPEC_ALLOW=sysctls:<key>) */
            sysctls?: {
                [key: string]: unknown;
            } | null;
            updateConfig?: components["schemas"]["UpdateConfigInput"] | null;
        };
        DeployInput: {
            blueGreen?: components["schemas"]["BlueGreenSettings"] | null;
            /** @example lab/web:v2 */
            image: string;
            /** @description roll back when the update makes no progress for this long (default DEPLOY_PROGRESS_DEADLINE_SECONDS) */
            progressDeadlineSeconds?: number | null;
            reason?: string | null;
            rolling?: components["schemas"]["RollingSettings"] | null;
            /** @example web */
            service: string;
            /** @enum {string} */
            strategy: "rolling" | "blue-green";
        };
        DeploymentCounts: {
            /** @description deployments queued or running */
            running: number;
        };
        DeploymentList: {
            items: components["schemas"]["DeploymentView"][];
        };
        DeploymentProgressCount: {
            total: number;
            updated: number;
        };
        DeploymentProgressEvent: {
            at: string;
            error?: string | null;
            /** @description deployment id */
            id: string;
            message?: string | null;
            progress?: components["schemas"]["DeploymentProgressCount"] | null;
            service: string;
            /** @description queued, running, awaiting-promotion, succeeded, failed, rolled-back, cancelled */
            status: string;
            /** @description the step now running or just finished */
            step?: string | null;
            /** @description rolling or blue-green */
            strategy?: string | null;
        };
        DeploymentProgressView: {
            /** @description tasks wanted */
            total: number;
            /** @description tasks running the new image */
            updated: number;
        };
        DeploymentStepView: {
            at: string;
            message?: string | null;
            name: string;
        };
        DeploymentView: {
            /** @description worker starts (more than 1 after a worker died and another resumed it) */
            attempts: number;
            blueGreen?: components["schemas"]["BlueGreenSettings"] | null;
            createdAt: string;
            createdBy: string;
            error?: string | null;
            finishedAt?: string | null;
            id: string;
            image: string;
            /** @description requests the worker has not acted on yet */
            pendingRequests: ("promote" | "cancel" | "rollback")[];
            /** @description deployments of this service ahead of this one (0: next or running); null when finished */
            position?: number | null;
            previousImage?: string | null;
            progress: components["schemas"]["DeploymentProgressView"];
            progressDeadlineSeconds: number;
            reason?: string | null;
            /** @description the deployment this one rolls back */
            rollbackOf?: string | null;
            rolling?: components["schemas"]["RollingSettings"] | null;
            /** @description stable service name */
            service: string;
            startedAt?: string | null;
            /** @enum {string} */
            status: "queued" | "running" | "awaiting-promotion" | "succeeded" | "failed" | "rolled-back" | "cancelled";
            steps: components["schemas"]["DeploymentStepView"][];
            /** @enum {string} */
            strategy: "rolling" | "blue-green" | "rollback";
        };
        /** @description Every error answer. Some codes add details beside these fields: `results` (BATCH_FAILED), `bounds` (OUT_OF_BOUNDS), `currentVersion` (VERSION_CONFLICT), `suggestion` (a service name not found), `checks` (readiness). */
        ErrorResponse: {
            /**
             * @description stable machine-readable code
             * @example SERVICE_NOT_FOUND
             * @enum {string}
             */
            code: "VALIDATION_FAILED" | "QUERY_TOO_COMPLEX" | "UNAUTHENTICATED" | "FORBIDDEN" | "SPEC_NOT_ALLOWED" | "NOT_FOUND" | "SERVICE_NOT_FOUND" | "NODE_NOT_FOUND" | "DEPLOYMENT_NOT_FOUND" | "POLICY_NOT_FOUND" | "SERVICE_EXISTS" | "VERSION_CONFLICT" | "CONFLICT" | "DEPLOYMENT_IN_PROGRESS" | "IDEMPOTENCY_IN_PROGRESS" | "INVALID_STATE" | "BATCH_FAILED" | "GLOBAL_SERVICE" | "PAYLOAD_TOO_LARGE" | "UNSUPPORTED_MEDIA_TYPE" | "IDEMPOTENCY_KEY_REUSED" | "UNSCHEDULABLE" | "OUT_OF_BOUNDS" | "RESOURCES_REQUIRED" | "PROMETHEUS_NOT_CONFIGURED" | "RATE_LIMITED" | "INTERNAL" | "ENGINE_ERROR" | "DOCKER_UNAVAILABLE" | "SWARM_NO_QUORUM" | "REDIS_UNAVAILABLE" | "TOO_MANY_CONNECTIONS";
            /** @description for bad input: one entry per field */
            errors?: components["schemas"]["FieldErrorBody"][];
            /** @example service "web" not found */
            message: string;
            /** @description the x-request-id of the request (also in the response header) */
            requestId: string;
            /**
             * @description the HTTP status
             * @example 404
             */
            statusCode: number;
        } & {
            [key: string]: unknown;
        };
        EventMessage: {
            /** @description the SSE `data:` line, JSON */
            data: components["schemas"]["TaskStateChanged"] | components["schemas"]["ServiceChanged"] | components["schemas"]["NodeChanged"] | components["schemas"]["DeploymentProgressEvent"] | components["schemas"]["AutoscalingDecisionEvent"] | components["schemas"]["ManagerQuorumChanged"];
            /**
             * @description the SSE `event:` name; it says which payload `data` holds
             * @enum {string}
             */
            event: "task" | "service" | "node" | "deployment" | "autoscaling" | "cluster";
            /**
             * @description the SSE `id:`: send it back as Last-Event-ID to resume after this event
             * @example 1700000000000-0
             */
            id: string;
        };
        FieldErrorBody: {
            /** @example must not be less than 0 */
            message: string;
            /**
             * @description the field, e.g. `rolling.parallelism` or `services.web`
             * @example replicas
             */
            path: string;
        };
        HealthcheckInput: {
            intervalSeconds?: number | null;
            retries?: number | null;
            startPeriodSeconds?: number | null;
            /**
             * @description ["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"]
             * @example [
             *       "CMD-SHELL",
             *       "wget -q -O- localhost || exit 1"
             *     ]
             */
            test: string[];
            timeoutSeconds?: number | null;
        };
        HealthcheckView: {
            intervalSeconds?: number | null;
            retries?: number | null;
            startPeriodSeconds?: number | null;
            test: string[];
            timeoutSeconds?: number | null;
        };
        LeaderView: {
            addr?: string | null;
            hostname: string;
            id: string;
        };
        ManagerQuorumChanged: {
            at: string;
            /** @description (managers - 1) / 2 - unreachable managers; below 0 the quorum is lost (or no leader is elected yet) */
            faultTolerance: number;
            /** @enum {string} */
            kind: "ManagerQuorumChanged";
            managers: number;
            /** @description the fault tolerance before this change */
            previous: number;
            /** @description managers reachable from the leader (0 while there is none) */
            reachable: number;
        };
        ManagerStatusView: {
            addr?: string | null;
            leader: boolean;
            reachability?: string | null;
        };
        MountInput: {
            readOnly?: boolean | null;
            /** @description volume name (volume), absolute host path (bind); none for tmpfs */
            source?: string | null;
            /** @description absolute path in the container */
            target: string;
            /** @description tmpfs size (tmpfs only) */
            tmpfsSize?: number | string;
            /**
             * @description bind sources must be under BIND_MOUNT_ALLOWLIST
             * @enum {string}
             */
            type: "volume" | "tmpfs" | "bind";
        };
        MountView: {
            readOnly: boolean;
            source?: string | null;
            target: string;
            /** @enum {string} */
            type: "volume" | "tmpfs" | "bind";
        };
        NetworkAttachmentView: {
            aliases: string[];
            id: string;
            name?: string | null;
        };
        NetworkInput: {
            /** @description DNS aliases of the service on this network */
            aliases?: string[] | null;
            /** @description network name (or id); it must exist and be swarm-scoped */
            name: string;
        };
        NodeAvailabilityInput: {
            /**
             * @description active: takes tasks; pause: keeps its tasks, takes no new ones; drain: moves its tasks away
             * @enum {string}
             */
            availability: "active" | "pause" | "drain";
        };
        NodeChanged: {
            at: string;
            /** @enum {string} */
            availability: "active" | "pause" | "drain";
            /** @enum {string} */
            change: "created" | "updated" | "removed";
            /** @description state, availability, role, labels, leader, reachability, address */
            changedFields: string[];
            hostname: string;
            message?: string | null;
            nodeId: string;
            previousAvailability?: string | null;
            previousState?: string | null;
            /** @enum {string} */
            role: "manager" | "worker";
            /** @description ready, down, unknown, disconnected */
            state: string;
        };
        NodeCounts: {
            /** @description active, pause, drain -> count */
            byAvailability: {
                [key: string]: unknown;
            };
            /** @description manager, worker -> count */
            byRole: {
                [key: string]: unknown;
            };
            /** @description ready, down, unknown, disconnected -> count */
            byState: {
                [key: string]: unknown;
            };
            total: number;
        };
        NodeExclusion: {
            /** @enum {string} */
            filter: "ready" | "resources" | "constraints" | "platform" | "host-port" | "max-replicas";
            hostname: string;
            message: string;
            nodeId: string;
        };
        NodeLabelsInput: {
            /**
             * @description labels to set (key: value)
             * @example {
             *       "zone": "a"
             *     }
             */
            add?: {
                [key: string]: unknown;
            } | null;
            /**
             * @description label keys to remove
             * @example [
             *       "rack"
             *     ]
             */
            remove?: string[] | null;
        };
        NodeList: {
            items: components["schemas"]["NodeView"][];
            /** @description pass it as `cursor` for the next page; null on the last page */
            nextCursor?: string | null;
        };
        NodeTaskCount: {
            /** @description of which are new */
            added: number;
            /** @description tasks of the service on this node */
            count: number;
            hostname: string;
            /** @description of which already run there and stay */
            kept: number;
            nodeId: string;
        };
        NodeView: {
            address?: string | null;
            arch?: string | null;
            /** @enum {string} */
            availability: "active" | "pause" | "drain";
            cpus: number;
            createdAt: string;
            engineLabels: {
                [key: string]: unknown;
            };
            engineVersion?: string | null;
            hostname: string;
            id: string;
            labels: {
                [key: string]: unknown;
            };
            managerStatus?: components["schemas"]["ManagerStatusView"] | null;
            memoryBytes: number;
            os?: string | null;
            /** @enum {string} */
            role: "manager" | "worker";
            /** @description ready, down, unknown, disconnected */
            state: string;
            updatedAt: string;
            version: number;
        };
        PlacementInput: {
            /**
             * @description key==value or key!=value on node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.<key>, engine.labels.<key>
             * @example [
             *       "node.role==worker",
             *       "node.labels.zone!=c"
             *     ]
             */
            constraints?: string[] | null;
            /** @description tasks of this service per node at most; 0 = no limit */
            maxReplicasPerNode?: number | null;
            /** @description spread levels, outermost first */
            preferences?: components["schemas"]["SpreadPreferenceInput"][] | null;
        };
        PlacementPlan: {
            /** @description other distributions Swarm's random tie-breaking can produce */
            alternatives: components["schemas"]["PlanAlternative"][];
            /**
             * @description create: a new service; scale: running tasks stay, only the difference moves; replace: the task template changes, every task is re-placed (rolling update); none: as it is now
             * @enum {string}
             */
            change: "create" | "scale" | "replace" | "none";
            /** @description false when Swarm breaks ties at random and may pick other nodes (see alternatives) */
            deterministic: boolean;
            /** @description nodes that take no task of this spec, with the first filter they fail */
            excluded: components["schemas"]["NodeExclusion"][];
            /** @description every task can be placed */
            feasible: boolean;
            /** @description Swarm's own wording for the pending tasks */
            message?: string | null;
            /** @enum {string} */
            mode: "replicated" | "global";
            /** @description when tasks stay pending: which filter removes which nodes */
            reasons: components["schemas"]["UnschedulableReason"][];
            replicas: number;
            /** @description the existing service planned for, if any */
            service?: string | null;
            /** @description predicted tasks of the service per node (nodes with none omitted) */
            tasksPerNode: components["schemas"]["NodeTaskCount"][];
            /** @description tasks that would stay pending */
            unschedulable: number;
        };
        PlacementUpdateResult: {
            placement: components["schemas"]["PlacementView"];
            /** @description where the tasks should end up */
            plan: components["schemas"]["PlacementPlan"];
            previous: components["schemas"]["PlacementView"];
            service: string;
            /** @description service version after the change */
            version: number;
            warnings: string[];
        };
        PlacementView: {
            constraints: string[];
            maxReplicasPerNode?: number | null;
            preferences: components["schemas"]["SpreadPreference"][];
        };
        PlanAlternative: {
            tasksPerNode: components["schemas"]["NodeTaskCount"][];
        };
        PlanPlacementInput: {
            /** @description image of a new service (required without `service`) */
            image?: string | null;
            /** @description replaces the service's placement fields that are given */
            placement?: components["schemas"]["PlacementInput"] | null;
            /** @description default: the service's current replicas, or 1 for a new one */
            replicas?: number | null;
            resources?: components["schemas"]["PlanResourcesInput"] | null;
            /** @description an existing service; omit to plan a new one */
            service?: string | null;
        };
        PlanResourceAmountsInput: {
            /** @description CPUs as a decimal (0.5 = half a CPU) */
            cpus?: number | null;
            /** @description bytes, or a size like "512M", "1G" */
            memory?: string | number;
        };
        PlanResourcesInput: {
            /** @description limits do not affect placement */
            limits?: components["schemas"]["PlanResourceAmountsInput"] | null;
            /** @description what each task reserves on its node */
            reservations?: components["schemas"]["PlanResourceAmountsInput"] | null;
        };
        PortInput: {
            /**
             * @description default ingress
             * @enum {string|null}
             */
            mode?: "ingress" | "host" | null;
            /** @enum {string|null} */
            protocol?: "tcp" | "udp" | "sctp" | null;
            /** @description published port (the engine picks one when absent in ingress mode) */
            published?: number | null;
            /** @description container port */
            target: number;
        };
        PortView: {
            /** @enum {string} */
            mode: "ingress" | "host";
            /** @enum {string} */
            protocol: "tcp" | "udp" | "sctp";
            published?: number | null;
            target: number;
        };
        QuorumMember: {
            /** @description raft address (host:port) */
            addr?: string | null;
            hostname: string;
            id: string;
            leader: boolean;
            /**
             * @description unknown while the swarm has no leader to ask
             * @enum {string}
             */
            reachability: "reachable" | "unreachable" | "unknown";
            /** @description active and running workload tasks (not global or swarm-cp.system services) */
            runsWorkloads: boolean;
        };
        QuorumView: {
            /** @description (managers - 1) / 2 - unreachable managers: more failures the swarm survives; below 0 the quorum is lost (or a leader is being elected) */
            faultTolerance: number;
            hasQuorum: boolean;
            leader?: components["schemas"]["LeaderView"] | null;
            managers: number;
            members: components["schemas"]["QuorumMember"][];
            reachable: number;
            /** @description even number of managers, fault tolerance 0, quorum lost, managers running workloads */
            warnings: string[];
        };
        ReadModelStatus: {
            /** @description seconds since the engine last confirmed the snapshot */
            ageSeconds: number;
            /** @description true while the engine could not confirm the snapshot recently (unreachable, no leader): reads are served from the last one */
            stale: boolean;
        };
        RebalanceResult: {
            /** @description running tasks per node before */
            before: components["schemas"]["NodeTaskCount"][];
            /** @description TaskTemplate.ForceUpdate after the change */
            forceUpdate: number;
            message: string;
            /** @description where the rolling replacement should put them */
            plan: components["schemas"]["PlacementPlan"];
            service: string;
            /** @enum {string} */
            status: "started";
            version: number;
        };
        ReplicaCounts: {
            /** @description null for global services */
            desired?: number | null;
            running: number;
        };
        ResourceAmounts: {
            /** @description CPUs as a decimal (0.5 = half a CPU) */
            cpus?: number | null;
            /** @description bytes */
            memoryBytes?: number | null;
        };
        ResourceAmountsInput: {
            /** @description CPUs as a decimal (0.5 = half a CPU); 0 = none */
            cpus?: number | null;
            /** @description memory: bytes or "512M"/"1G"/"256Mi"; 0 = none */
            memory?: number | string;
        };
        ResourcesInput: {
            /** @description null clears the limits */
            limits?: components["schemas"]["ResourceAmountsInput"] | null;
            /** @description null clears the reservations */
            reservations?: components["schemas"]["ResourceAmountsInput"] | null;
        };
        ResourcesView: {
            limits?: components["schemas"]["ResourceAmounts"] | null;
            reservations?: components["schemas"]["ResourceAmounts"] | null;
        };
        RestartPolicyInput: {
            /** @enum {string|null} */
            condition?: "none" | "on-failure" | "any" | null;
            delaySeconds?: number | null;
            /** @description 0 = unlimited */
            maxAttempts?: number | null;
            windowSeconds?: number | null;
        };
        RestartPolicyView: {
            /** @enum {string} */
            condition: "none" | "on-failure" | "any";
            delaySeconds?: number | null;
            maxAttempts?: number | null;
            windowSeconds?: number | null;
        };
        RollbackServiceInput: {
            reason?: string | null;
        };
        RollingSettings: {
            /** @description pause between batches (at most 86400 s) */
            delaySeconds?: number | null;
            /** @enum {string|null} */
            failureAction?: "pause" | "continue" | "rollback" | null;
            /** @description failed tasks tolerated, as a fraction (0..1) */
            maxFailureRatio?: number | null;
            /** @description how long each updated task is watched for failure (at most 86400 s) */
            monitorSeconds?: number | null;
            /** @enum {string|null} */
            order?: "start-first" | "stop-first" | null;
            /** @description tasks updated at once; 0 = all at once */
            parallelism?: number | null;
        };
        ScaleBatchResult: {
            atomic: boolean;
            dryRun: boolean;
            results: components["schemas"]["ScaleItemResult"][];
        };
        ScaleInput: {
            /**
             * @description desired replica count, 0..MAX_REPLICAS
             * @example 3
             */
            replicas: number;
        };
        ScaleItemError: {
            code: string;
            message: string;
        };
        ScaleItemResult: {
            error?: components["schemas"]["ScaleItemError"] | null;
            /** @description desired replicas before (null when the service could not be read) */
            previous?: number | null;
            /** @description desired replicas now (or, for a dry run, after the change) */
            replicas?: number | null;
            /** @description what the request asked for */
            requested: number;
            service: string;
            /**
             * @description scaled | unchanged | would-scale (dry run) | failed | restored (changed, then set back because another target failed) | restore-failed | skipped (not attempted after a failure)
             * @enum {string}
             */
            status: "scaled" | "unchanged" | "would-scale" | "failed" | "restored" | "restore-failed" | "skipped";
        };
        ScaleResult: {
            /** @description desired replicas before the change */
            previous: number;
            /** @description desired replicas now */
            replicas: number;
            service: string;
        };
        ScaleServicesInput: {
            /** @description validate every target first and restore all on a failure part-way (default true) */
            atomic?: boolean | null;
            /** @description say what would change without changing anything (default false) */
            dryRun?: boolean | null;
            /**
             * @description service name -> desired replicas
             * @example {
             *       "api": 3,
             *       "web": 5
             *     }
             */
            services: {
                [key: string]: unknown;
            };
        };
        ServiceChanged: {
            at: string;
            /** @enum {string} */
            change: "created" | "updated" | "removed";
            /** @description what changed: image, replicas, env, labels, resources, placement, ports, ... */
            changedFields: string[];
            image: string;
            previousVersion?: number | null;
            /** @description desired replicas; null for global services */
            replicas?: number | null;
            service: string;
            serviceId: string;
            /** @description the engine update state (updating, completed, paused, rollback_*) */
            updateState?: string | null;
            /** @description engine object version after the change (before it, for removed) */
            version: number;
        };
        ServiceCounts: {
            /** @description sum of desired replicas of replicated services */
            desiredReplicas: number;
            global: number;
            replicated: number;
            /** @description running tasks of those services */
            runningReplicas: number;
            /** @description services the caller's token may see */
            total: number;
        };
        ServiceDetail: {
            args?: string[] | null;
            command?: string[] | null;
            createdAt: string;
            /** @enum {string} */
            endpointMode: "vip" | "dnsrr";
            /** @description environment (values redacted for viewers) */
            env: {
                [key: string]: unknown;
            };
            healthcheck?: components["schemas"]["HealthcheckView"] | null;
            id: string;
            image: string;
            labels: {
                [key: string]: unknown;
            };
            /** @enum {string} */
            mode: "replicated" | "global";
            mounts: components["schemas"]["MountView"][];
            name: string;
            networks: components["schemas"]["NetworkAttachmentView"][];
            placement: components["schemas"]["PlacementView"];
            ports: components["schemas"]["PortView"][];
            /** @description image of the previous spec, when the engine kept one */
            previousImage?: string | null;
            replicas: components["schemas"]["ReplicaCounts"];
            resources: components["schemas"]["ResourcesView"];
            restartPolicy?: components["schemas"]["RestartPolicyView"] | null;
            rollbackConfig?: components["schemas"]["UpdateConfigView"] | null;
            updateConfig?: components["schemas"]["UpdateConfigView"] | null;
            updateStatus?: components["schemas"]["UpdateStatusView"] | null;
            updatedAt: string;
            /** @description engine object version; send it back in If-Match */
            version: number;
        };
        ServiceList: {
            items: components["schemas"]["ServiceSummary"][];
            /** @description pass it as `cursor` for the next page; null on the last page */
            nextCursor?: string | null;
        };
        ServiceStats: {
            /** @description when the samples were taken (ISO 8601) */
            at: string;
            service: string;
            tasks: components["schemas"]["TaskStats"][];
            total: components["schemas"]["StatsTotals"];
        };
        ServiceSummary: {
            createdAt: string;
            /** @enum {string} */
            endpointMode: "vip" | "dnsrr";
            id: string;
            image: string;
            labels: {
                [key: string]: unknown;
            };
            /** @enum {string} */
            mode: "replicated" | "global";
            name: string;
            ports: components["schemas"]["PortView"][];
            replicas: components["schemas"]["ReplicaCounts"];
            updateStatus?: components["schemas"]["UpdateStatusView"] | null;
            updatedAt: string;
            /** @description engine object version; send it back in If-Match */
            version: number;
        };
        SpreadPreference: {
            /** @example node.labels.zone */
            spread: string;
        };
        SpreadPreferenceInput: {
            /**
             * @description node.labels.<key> or engine.labels.<key>
             * @example node.labels.zone
             */
            spread: string;
        };
        StatsTotals: {
            /** @description running tasks with stats */
            available: number;
            /** @description mean over available tasks that have a CPU limit or reservation */
            cpuLimitPercent?: number | null;
            /** @description sum over available tasks */
            cpuPercent: number;
            /** @description sum over available tasks */
            memoryBytes: number;
            /** @description sum over available tasks */
            memoryLimitBytes: number;
            /** @description mean over available tasks */
            memoryPercent?: number | null;
            /** @description running tasks */
            tasks: number;
        };
        TaskCounts: {
            /** @description task state (running, failed, shutdown, ...) -> count */
            byState: {
                [key: string]: unknown;
            };
            /** @description tasks the engine lists for visible services, history included */
            total: number;
        };
        TaskList: {
            items: components["schemas"]["TaskView"][];
            /** @description pass it as `cursor` for the next page; null on the last page */
            nextCursor?: string | null;
        };
        TaskStateChanged: {
            /** @description when the engine recorded the transition (ISO 8601); for source "node", when the container died */
            at: string;
            containerId?: string | null;
            desiredState: string;
            error?: string | null;
            exitCode?: number | null;
            /** @description previous state; null when the task is new */
            from?: string | null;
            message?: string | null;
            nodeId?: string | null;
            nodeName?: string | null;
            service: string;
            serviceId: string;
            /** @description null for global services */
            slot?: number | null;
            /**
             * @description where the transition was seen: "tasks", the engine's task list; "node", the container's death reported by its node before the task list shows it (an early event: not published again when the task list confirms it; a different end state in the task list follows as its own event). Absent on events stored before this field existed: read as "tasks"
             * @enum {string|null}
             */
            source?: "tasks" | "node" | null;
            taskId: string;
            /** @description new state (new, pending, assigned, ..., running, complete, failed, shutdown, rejected), or "removed" */
            to: string;
        };
        TaskStats: {
            /** @description false when the task's node cannot be asked (no node agent or engine endpoint answers for it, or not in time); see reason */
            available: boolean;
            containerId?: string | null;
            /** @description CPU % of the task's NanoCPUs limit (or reservation); null without either */
            cpuLimitPercent?: number | null;
            /** @description CPU % as docker stats shows it (100 = one CPU) */
            cpuPercent?: number | null;
            /** @description memory in use without page cache, bytes */
            memoryBytes?: number | null;
            /** @description the container's memory limit (the host's memory without one), bytes */
            memoryLimitBytes?: number | null;
            /** @description memory % of the task limit (or reservation, or the container limit) */
            memoryPercent?: number | null;
            nodeId?: string | null;
            nodeName?: string | null;
            /** @description why the stats are unavailable */
            reason?: string | null;
            slot?: number | null;
            taskId: string;
        };
        TaskView: {
            containerId?: string | null;
            createdAt: string;
            desiredState: string;
            error?: string | null;
            id: string;
            image: string;
            message?: string | null;
            nodeId?: string | null;
            nodeName?: string | null;
            service: string;
            serviceId: string;
            slot?: number | null;
            state: string;
            updatedAt: string;
        };
        TokenScopeView: {
            /** @description label selector: the token sees and touches only services with all of these labels */
            labels: {
                [key: string]: unknown;
            };
        };
        UnschedulableReason: {
            /** @enum {string} */
            filter: "ready" | "resources" | "constraints" | "platform" | "host-port" | "max-replicas";
            /** @example insufficient resources on 2 nodes */
            message: string;
            /** @description hostnames this filter rejects */
            nodes: string[];
        };
        UpdateConfigInput: {
            /** @description pause between batches (at most 86400 s) */
            delaySeconds?: number | null;
            /** @enum {string|null} */
            failureAction?: "pause" | "continue" | "rollback" | null;
            /** @description failed tasks tolerated, as a fraction (0..1) */
            maxFailureRatio?: number | null;
            /** @description how long each updated task is watched for failure (at most 86400 s) */
            monitorSeconds?: number | null;
            /** @enum {string|null} */
            order?: "start-first" | "stop-first" | null;
            /** @description tasks updated at once; 0 = all at once */
            parallelism?: number | null;
        };
        UpdateConfigView: {
            delaySeconds: number;
            /** @enum {string} */
            failureAction: "pause" | "continue" | "rollback";
            maxFailureRatio: number;
            monitorSeconds: number;
            /** @enum {string} */
            order: "start-first" | "stop-first";
            parallelism: number;
        };
        UpdatePlacementInput: {
            /**
             * @description key==value or key!=value on node.id, node.hostname, node.role, node.platform.os, node.platform.arch, node.labels.<key>, engine.labels.<key>
             * @example [
             *       "node.role==worker",
             *       "node.labels.zone!=c"
             *     ]
             */
            constraints?: string[] | null;
            /** @description apply even when the plan says some tasks cannot be placed */
            force?: boolean | null;
            /** @description tasks of this service per node at most; 0 = no limit */
            maxReplicasPerNode?: number | null;
            /** @description spread levels, outermost first */
            preferences?: components["schemas"]["SpreadPreferenceInput"][] | null;
        };
        UpdateResourcesInput: {
            /** @description apply even when no ready, active node can hold the reservations */
            force?: boolean | null;
            /** @description null clears the limits */
            limits?: components["schemas"]["ResourceAmountsInput"] | null;
            /** @description null clears the reservations */
            reservations?: components["schemas"]["ResourceAmountsInput"] | null;
        };
        UpdateServiceInput: {
            args?: string[] | null;
            /** @description Linux capabilities to add (needs SPEC_ALLOW=capAdd:<CAP>) */
            capAdd?: string[] | null;
            /** @description Linux capabilities to drop */
            capDrop?: string[] | null;
            /** @description entrypoint override */
            command?: string[] | null;
            /** @description host devices; refused */
            devices?: string[] | null;
            /** @enum {string|null} */
            endpointMode?: "vip" | "dnsrr" | null;
            /** @description environment as { KEY: "value" }; replaces the whole map */
            env?: {
                [key: string]: unknown;
            } | null;
            healthcheck?: components["schemas"]["HealthcheckInput"] | null;
            /** @example lab/web:v2 */
            image?: string | null;
            /** @description IPC namespace ("host"); refused */
            ipc?: string | null;
            /** @description service labels; replaces the whole map */
            labels?: {
                [key: string]: unknown;
            } | null;
            /**
             * @description default replicated; cannot change after create
             * @enum {string|null}
             */
            mode?: "replicated" | "global" | null;
            mounts?: components["schemas"]["MountInput"][] | null;
            networks?: components["schemas"]["NetworkInput"][] | null;
            /** @description PID namespace ("host"); refused */
            pid?: string | null;
            placement?: components["schemas"]["PlacementInput"] | null;
            ports?: components["schemas"]["PortInput"][] | null;
            /** @description not supported by Swarm services; refused */
            privileged?: boolean | null;
            /** @description replicated mode only; default 1, at most MAX_REPLICAS */
            replicas?: number | null;
            resources?: components["schemas"]["ResourcesInput"] | null;
            restartPolicy?: components["schemas"]["RestartPolicyInput"] | null;
            rollbackConfig?: components["schemas"]["UpdateConfigInput"] | null;
            /** @description namespaced sysctls (needs SPEC_ALLOW=sysctls:<key>) */
            sysctls?: {
                [key: string]: unknown;
            } | null;
            updateConfig?: components["schemas"]["UpdateConfigInput"] | null;
        };
        UpdateStatusView: {
            completedAt?: string | null;
            message?: string | null;
            startedAt?: string | null;
            /** @description updating, paused, completed, rollback_started, rollback_paused, rollback_completed */
            state: string;
        };
        VerifyProbe: {
            /** @description the body must contain this text */
            expectBody?: string | null;
            /** @description default 200 */
            expectStatus?: number | null;
            /** @description default / */
            path?: string | null;
            /** @description container port (default: the first published target port, else 80) */
            port?: number | null;
            /** @description per task, default 10 */
            timeoutSeconds?: number | null;
        };
        WhoamiView: {
            /** @description the token's name (the actor in audit entries) */
            name: string;
            /**
             * @description viewer < scaler < deployer < admin, each including the one before
             * @enum {string}
             */
            role: "viewer" | "scaler" | "deployer" | "admin";
            /** @description null: every service */
            scope?: components["schemas"]["TokenScopeView"] | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    HealthController_live: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Health Check is successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example {
                         *       "database": {
                         *         "responseTime": 12,
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        details?: {
                            [key: string]: {
                                /** @description Time the health indicator took to respond, in ms */
                                responseTime?: number;
                                /** @enum {string} */
                                status: "up" | "degraded" | "down";
                            } & {
                                [key: string]: unknown;
                            };
                        };
                        /** @example {} */
                        error?: {
                            [key: string]: {
                                /** @description Time the health indicator took to respond, in ms */
                                responseTime?: number;
                                /** @enum {string} */
                                status: "up" | "degraded" | "down";
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "database": {
                         *         "responseTime": 12,
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        info?: {
                            [key: string]: {
                                /** @description Time the health indicator took to respond, in ms */
                                responseTime?: number;
                                /** @enum {string} */
                                status: "up" | "degraded" | "down";
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example ok
                         * @enum {string}
                         */
                        status?: "ok" | "degraded";
                    };
                };
            };
            /** @description The Health Check is not successful */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    HealthController_ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The Health Check is successful */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @example {
                         *       "database": {
                         *         "responseTime": 12,
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        details?: {
                            [key: string]: {
                                /** @description Time the health indicator took to respond, in ms */
                                responseTime?: number;
                                /** @enum {string} */
                                status: "up" | "degraded" | "down";
                            } & {
                                [key: string]: unknown;
                            };
                        };
                        /** @example {} */
                        error?: {
                            [key: string]: {
                                /** @description Time the health indicator took to respond, in ms */
                                responseTime?: number;
                                /** @enum {string} */
                                status: "up" | "degraded" | "down";
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example {
                         *       "database": {
                         *         "responseTime": 12,
                         *         "status": "up"
                         *       }
                         *     }
                         */
                        info?: {
                            [key: string]: {
                                /** @description Time the health indicator took to respond, in ms */
                                responseTime?: number;
                                /** @enum {string} */
                                status: "up" | "degraded" | "down";
                            } & {
                                [key: string]: unknown;
                            };
                        } | null;
                        /**
                         * @example ok
                         * @enum {string}
                         */
                        status?: "ok" | "degraded";
                    };
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    MetricsController_scrape: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Prometheus text exposition format 0.0.4 */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    AlertingController_alertmanager: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AlertmanagerWebhookBody"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertReceiptView"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    AuditController_list: {
        parameters: {
            query?: {
                /** @description entries concerning this service */
                service?: string;
                /** @description entries by this actor (token name, slack:<user>, autoscaler) */
                actor?: string;
                /** @description ISO 8601 time, inclusive */
                since?: string;
                /** @description ISO 8601 time, inclusive */
                until?: string;
                /** @description newest first, at most this many (1..1000, default 100) */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditList"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    AutoscalingController_decisions: {
        parameters: {
            query?: {
                /** @description only this service */
                service?: string;
                /** @description newest first; default 50, at most 1000 */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AutoscalingDecisionList"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ChatopsController_command: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        /** @description JSON `{ text }` with a bearer token, or a Slack slash-command form post (text, user_name) signed with X-Slack-Signature */
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChatCommandInput"];
                "application/x-www-form-urlencoded": components["schemas"]["ChatCommandInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatAnswer"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ClusterController_overview: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClusterOverview"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DeploymentsController_list: {
        parameters: {
            query?: {
                /** @description stable service name */
                service?: string;
                status?: "queued" | "running" | "awaiting-promotion" | "succeeded" | "failed" | "rolled-back" | "cancelled";
                /** @description at most this many, newest first (default 100) */
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentList"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DeploymentsController_deploy: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DeployInput"];
            };
        };
        responses: {
            /** @description queued; Location names the deployment */
            202: {
                headers: {
                    /** @description the deployment */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentView"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS, INVALID_STATE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DeploymentsController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentView"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): DEPLOYMENT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DeploymentsController_cancel: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentView"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): DEPLOYMENT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS, INVALID_STATE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DeploymentsController_promote: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentView"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): DEPLOYMENT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS, INVALID_STATE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DeploymentsController_rollback: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the deployment (rolled back by its worker) or, for a succeeded one, the new rollback deployment */
            202: {
                headers: {
                    /** @description the deployment */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentView"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): DEPLOYMENT_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS, INVALID_STATE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    EventsController_stream: {
        parameters: {
            query?: {
                /** @description comma-separated event types to receive (default: all): task, service, node, deployment, autoscaling, cluster */
                types?: string;
                /** @description only events about this service (node and cluster events are left out) */
                service?: string;
                /** @description resume after this event id, as the Last-Event-ID header does (the header wins) */
                lastEventId?: string;
            };
            header?: {
                /** @description resume after this event id (sent back by EventSource on reconnect) */
                "Last-Event-ID"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server-Sent Events: `id:` the event id, `event:` task|service|node|deployment|autoscaling, `data:` the JSON payload (TaskStateChanged, ServiceChanged, NodeChanged, DeploymentProgressEvent, AutoscalingDecisionEvent); `: ping` heartbeats. Events of services outside the token scope are left out. 429 TOO_MANY_CONNECTIONS past the per-token limit. With Last-Event-ID (or lastEventId) the kept events after it come first, then a `: replayed` comment, then live ones. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["EventMessage"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED, TOO_MANY_CONNECTIONS */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    NodesController_list: {
        parameters: {
            query?: {
                /** @description at most this many items (1..1000); without it, every item after the cursor */
                limit?: number;
                /** @description the `nextCursor` of the previous page: the items after it, in the same order */
                cursor?: string;
                /** @description nodes whose hostname starts with one of these */
                name?: string[];
                /** @description node labels (as `docker node ls --filter node.label=`): `key` (has the label) or `key=value`; repeat for more, all must hold */
                label?: string[];
                role?: "manager" | "worker";
                availability?: "active" | "pause" | "drain";
            };
            header?: {
                /** @description the ETag of an earlier answer: 304 without a body while the answer is unchanged */
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    /** @description gzip when the request accepts it (Accept-Encoding) and the answer is 1 KB or more */
                    "Content-Encoding"?: "gzip";
                    /** @description the answer's entity tag (made weak, W/"...", on the gzipped form): send it back in If-None-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeList"];
                };
            };
            /** @description not modified: the answer still has the ETag given in If-None-Match */
            304: {
                headers: {
                    /** @description the answer's entity tag: send it back in If-None-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    NodesController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                idOrHostname: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeView"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): NODE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    NodesController_availability: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path: {
                idOrHostname: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NodeAvailabilityInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeView"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): NODE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS, VERSION_CONFLICT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    NodesController_label: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path: {
                idOrHostname: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NodeLabelsInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NodeView"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): NODE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS, VERSION_CONFLICT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    NodesController_tasks: {
        parameters: {
            query?: {
                /** @description at most this many items (1..1000); without it, every item after the cursor */
                limit?: number;
                /** @description the `nextCursor` of the previous page: the items after it, in the same order */
                cursor?: string;
                /** @description this service's tasks only (its name) */
                service?: string;
            };
            header?: {
                /** @description the ETag of an earlier answer: 304 without a body while the answer is unchanged */
                "If-None-Match"?: string;
            };
            path: {
                idOrHostname: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    /** @description gzip when the request accepts it (Accept-Encoding) and the answer is 1 KB or more */
                    "Content-Encoding"?: "gzip";
                    /** @description the answer's entity tag (made weak, W/"...", on the gzipped form): send it back in If-None-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskList"];
                };
            };
            /** @description not modified: the answer still has the ETag given in If-None-Match */
            304: {
                headers: {
                    /** @description the answer's entity tag: send it back in If-None-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): NODE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    PlacementController_plan: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PlanPlacementInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlacementPlan"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ScalingController_scaleBatch: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScaleServicesInput"];
            };
        };
        responses: {
            /** @description atomic batches answer 409 BATCH_FAILED with `results` when the engine refused one part-way */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScaleBatchResult"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: BATCH_FAILED, GLOBAL_SERVICE, IDEMPOTENCY_IN_PROGRESS */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED, OUT_OF_BOUNDS */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ServicesController_list: {
        parameters: {
            query?: {
                /** @description at most this many items (1..1000); without it, every item after the cursor */
                limit?: number;
                /** @description the `nextCursor` of the previous page: the items after it, in the same order */
                cursor?: string;
                /** @description services whose name starts with one of these (as `docker service ls --filter name=`) */
                name?: string[];
                /** @description service labels: `key` (has the label) or `key=value`; repeat for more, all must hold */
                label?: string[];
                mode?: "replicated" | "global";
            };
            header?: {
                /** @description the ETag of an earlier answer: 304 without a body while the answer is unchanged */
                "If-None-Match"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    /** @description gzip when the request accepts it (Accept-Encoding) and the answer is 1 KB or more */
                    "Content-Encoding"?: "gzip";
                    /** @description the answer's entity tag (made weak, W/"...", on the gzipped form): send it back in If-None-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceList"];
                };
            };
            /** @description not modified: the answer still has the ETag given in If-None-Match */
            304: {
                headers: {
                    /** @description the answer's entity tag: send it back in If-None-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ServiceLifecycleController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateServiceInput"];
            };
        };
        responses: {
            201: {
                headers: {
                    /** @description the service version */
                    ETag?: string;
                    /** @description the new service */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceDetail"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN, SPEC_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS, SERVICE_EXISTS */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ServicesController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceDetail"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ServiceLifecycleController_remove: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description removed */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ServiceLifecycleController_update: {
        parameters: {
            query?: never;
            header?: {
                /** @description the version the change is based on (from GET, or the ETag) */
                "If-Match"?: string;
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateServiceInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description the new service version */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceDetail"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN, SPEC_NOT_ALLOWED */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS, VERSION_CONFLICT */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    AlertingController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRuleSetView"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): NOT_FOUND, SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    AlertingController_set: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AlertRulesInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertRuleSetView"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS, INVALID_STATE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    AlertingController_remove: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): NOT_FOUND, SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    AutoscalingController_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AutoscalingPolicyView"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): POLICY_NOT_FOUND, SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    AutoscalingController_set: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AutoscalingPolicyInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AutoscalingPolicyView"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS, INVALID_STATE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED, RESOURCES_REQUIRED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    AutoscalingController_remove: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): POLICY_NOT_FOUND, SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ServiceMonitoringController_serviceLogs: {
        parameters: {
            query?: {
                /** @description lines per task from the end of the logs: a number or `all` (default all) */
                tail?: string;
                /** @description only lines after this time: unix seconds or RFC 3339 */
                since?: string;
                /** @description prefix each line with the engine's RFC 3339 timestamp */
                timestamps?: boolean;
                /** @description keep the connection open and stream new lines as Server-Sent Events (`event: log`) */
                follow?: boolean;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description text/plain: one line per log line, `name.slot.task@node | message`. With follow=true, Server-Sent Events: `event: log` whose data is JSON `{ service, taskId, slot, node, stream, timestamp, message }`, then `event: end` when the service goes away. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                    "text/plain": string;
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED, TOO_MANY_CONNECTIONS */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    PlacementController_update: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdatePlacementInput"];
            };
        };
        responses: {
            /** @description 422 UNSCHEDULABLE when the plan leaves tasks unplaced (unless force) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PlacementUpdateResult"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED, UNSCHEDULABLE */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    PlacementController_rebalance: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RebalanceResult"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS, INVALID_STATE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ScalingController_scale: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ScaleInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ScaleResult"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: GLOBAL_SERVICE, IDEMPOTENCY_IN_PROGRESS */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED, OUT_OF_BOUNDS */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ServiceLifecycleController_resources: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateResourcesInput"];
            };
        };
        responses: {
            200: {
                headers: {
                    /** @description the new service version */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceDetail"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED, UNSCHEDULABLE */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    DeploymentsController_rollbackService: {
        parameters: {
            query?: never;
            header?: {
                /** @description the same key with the same body replays the first answer without acting again (per caller, 24 h) */
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RollbackServiceInput"];
            };
        };
        responses: {
            /** @description a deployment back to the previous spec */
            202: {
                headers: {
                    /** @description the deployment */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeploymentView"];
                };
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not allowed: FORBIDDEN */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Conflict with the current state: IDEMPOTENCY_IN_PROGRESS, INVALID_STATE */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Well-formed but refused: IDEMPOTENCY_KEY_REUSED */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE, SWARM_NO_QUORUM */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ServiceMonitoringController_serviceStats: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServiceStats"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    ServicesController_tasks: {
        parameters: {
            query?: {
                /** @description at most this many items (1..1000); without it, every item after the cursor */
                limit?: number;
                /** @description the `nextCursor` of the previous page: the items after it, in the same order */
                cursor?: string;
                /** @description include finished tasks (the history of `docker service ps`) */
                all?: boolean;
                /** @description tasks on this node (hostname or id) */
                node?: string;
                /** @description tasks with this desired state, history included (as `docker service ps --filter desired-state=`) */
                desiredState?: "new" | "pending" | "assigned" | "accepted" | "preparing" | "ready" | "starting" | "running" | "complete" | "shutdown" | "failed" | "rejected" | "remove" | "orphaned";
            };
            header?: {
                /** @description the ETag of an earlier answer: 304 without a body while the answer is unchanged */
                "If-None-Match"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    /** @description gzip when the request accepts it (Accept-Encoding) and the answer is 1 KB or more */
                    "Content-Encoding"?: "gzip";
                    /** @description the answer's entity tag (made weak, W/"...", on the gzipped form): send it back in If-None-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskList"];
                };
            };
            /** @description not modified: the answer still has the ETag given in If-None-Match */
            304: {
                headers: {
                    /** @description the answer's entity tag: send it back in If-None-Match */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad input: `errors` names each field: VALIDATION_FAILED */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Not found (also what a token sees outside its label scope): SERVICE_NOT_FOUND */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
    WhoamiController_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the token's identity: clients show only the actions its role may use */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WhoamiView"];
                };
            };
            /** @description No token, or an unknown one: UNAUTHENTICATED */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Too many requests: RATE_LIMITED */
            429: {
                headers: {
                    /** @description seconds until the token may call again */
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description A dependency is unreachable (the engine or Redis): DOCKER_UNAVAILABLE, REDIS_UNAVAILABLE */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
            /** @description Any other error (500 INTERNAL, 502 ENGINE_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE) */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorResponse"];
                };
            };
        };
    };
}
