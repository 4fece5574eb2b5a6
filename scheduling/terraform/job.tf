locals {
  # Plain environment of the probe. The target and login mode come from here; var.env adds the rest
  # (these win over var.env, so a typo there cannot silently retarget the probe). Unset URLs stay unset:
  # a definition with its own targets needs none.
  target_env = {
    for name, url in { PROBE_API_URL = var.api_url, PROBE_AUTH_URL = var.auth_url, PROBE_WS_URL = var.ws_url } : name => url if url != null
  }
  # With the collector sidecar, spans go to it over OTLP/HTTP on localhost; metrics stay in Cloud Logging's
  # log-based metrics (the collector forwards traces only).
  trace_env = var.export_traces ? {
    OTEL_EXPORTER_OTLP_ENDPOINT = "http://localhost:4318"
    OTEL_EXPORTER_OTLP_PROTOCOL = "http/protobuf"
    OTEL_TRACES_EXPORTER        = "otlp"
    OTEL_METRICS_EXPORTER       = "none"
    PROBE_TRACE_URL_TEMPLATE    = "https://console.cloud.google.com/traces/list?project=${var.project_id}&tid={traceId}"
  } : {}
  # The drift checks (hop config, the error-log lookup) read the Netra services in this project and region
  # with the read-only roles granted in iam.tf.
  drift_env = var.grant_drift_checks ? {
    PROBE_GCP_PROJECT     = var.project_id
    PROBE_GCP_REGION      = var.region
    PROBE_BACKEND_SERVICE = var.backend_service
    PROBE_AUTH_SERVICE    = var.auth_service
    PROBE_GCP_LOG_VIEW    = local.netra_errors_view
  } : {}
  plain_env = merge(local.trace_env, var.env, local.drift_env, local.target_env, {
    PROBE_LOGIN          = var.login
    GOOGLE_CLOUD_PROJECT = var.project_id # full-form logging.googleapis.com/trace in the probe's logs
  })

  # The deadlines are passed explicitly, never left to the probe's defaults: the time budget below (and the
  # budget test) reads them from here.
  probe_args = concat(
    [
      "run", "--timeout-ms", tostring(var.probe_timeout_ms), "--agent-timeout-ms", tostring(var.agent_timeout_ms),
      "--agent-degraded-ms", tostring(var.agent_degraded_ms),
    ],
    var.probe == null ? [] : ["--probe", var.probe],
    var.extra_args,
  )

  collector_config = file("${path.module}/../otel-collector/config.yaml")

  # The time budget of one task (scheduling/README.md, "Timing budget"): everything around the probe's own
  # deadline, in milliseconds. The probe's deadline ends the hops; after it come triage (src/runner/run-probe.ts
  # TRIAGE_BUDGET_MS), the services' log lookup (LOG_LOOKUP_MS), the clean-up of what the run created, and the
  # telemetry flush (src/cli/process-lifecycle.ts FLUSH_MS). Before it: Node's start, and the collector's start
  # (its startup probe's whole window; the probe does not wait for it, but the budget does not bet on that).
  budget_around_deadline_ms = {
    node_start      = 5000
    collector_start = var.export_traces ? 10000 : 0 # startup_probe: period_seconds 1 x failure_threshold 10
    triage          = 5000
    log_lookup      = 4000
    clean_up        = 5000
    export_flush    = 5000
    margin          = 10000
  }
  task_budget_ms = var.probe_timeout_ms + sum(values(local.budget_around_deadline_ms))
}

resource "google_cloud_run_v2_job" "probe" {
  project  = var.project_id
  location = var.region
  name     = var.job_name
  # The job holds no data: recreating it loses nothing, so `terraform destroy` may remove it.
  deletion_protection = false
  labels              = { app = "golden-path-probe" }

  template {
    task_count  = var.task_count
    parallelism = var.task_count

    template {
      service_account = google_service_account.runner.email
      # One run is one observation: a retry would hide the failure the probe exists to report, and the
      # next run comes a minute later anyway.
      max_retries = 0
      timeout     = "${var.task_timeout_seconds}s"

      containers {
        name  = "probe"
        image = var.image
        args  = local.probe_args
        # No depends_on the collector: a collector that does not start (bad image, bad config) must not stop the
        # probe. The probe's spans are batched and flushed at its end, long after the collector's start; an export
        # that finds nobody listening is dropped within the flush bound, and the run's verdict still reaches the log.

        resources {
          limits = {
            cpu    = var.cpu
            memory = var.memory
          }
        }

        dynamic "env" {
          for_each = local.plain_env
          content {
            name  = env.key
            value = env.value
          }
        }

        # Secrets reach the probe only as environment variables resolved by Cloud Run at each execution.
        dynamic "env" {
          for_each = var.secret_env
          content {
            name = env.key
            value_source {
              secret_key_ref {
                secret  = env.value
                version = "latest"
              }
            }
          }
        }
      }

      # OpenTelemetry Collector sidecar: receives the probe's spans on localhost and writes them to Cloud
      # Trace as this job's service account (token from the metadata server, refreshed by the collector).
      dynamic "containers" {
        for_each = var.export_traces ? [1] : []
        content {
          name  = "otel-collector"
          image = var.otel_collector_image
          args  = ["--config=env:OTELCOL_CONFIG"]

          resources {
            limits = {
              cpu    = "1"
              memory = "256Mi"
            }
          }

          env {
            name  = "OTELCOL_CONFIG"
            value = local.collector_config
          }
          env {
            name  = "GOOGLE_CLOUD_PROJECT"
            value = var.project_id
          }

          startup_probe {
            initial_delay_seconds = 0
            period_seconds        = 1
            timeout_seconds       = 1
            failure_threshold     = 10
            http_get {
              path = "/"
              port = 13133
            }
          }
        }
      }
    }
  }

  lifecycle {
    precondition {
      condition     = var.task_timeout_seconds * 1000 >= local.task_budget_ms
      error_message = "task_timeout_seconds is below the time budget (Node start + collector start + probe_timeout_ms + triage + log lookup + clean-up + export flush + margin, see scheduling/README.md): Cloud Run would kill a hanging run before it reports its verdict."
    }
    precondition {
      condition     = (var.api_url == null) == (var.auth_url == null)
      error_message = "Set api_url and auth_url together (or neither, for a probe definition that lists its own targets)."
    }
    precondition {
      condition     = var.agent_degraded_ms < var.agent_timeout_ms && var.agent_timeout_ms < var.probe_timeout_ms
      error_message = "agent_degraded_ms < agent_timeout_ms < probe_timeout_ms: the agent run is one hop of the whole run."
    }
    precondition {
      condition     = var.login != "e2e" || contains(keys(var.secret_env), "PROBE_E2E_BYPASS_KEY")
      error_message = "login = \"e2e\" needs PROBE_E2E_BYPASS_KEY in secret_env."
    }
    precondition {
      condition = var.login != "password" || (
        contains(keys(var.secret_env), "PROBE_USER_PASSWORD") &&
        (contains(keys(var.secret_env), "PROBE_USER_EMAIL") || contains(keys(var.env), "PROBE_USER_EMAIL"))
      )
      error_message = "login = \"password\" needs PROBE_USER_PASSWORD in secret_env and PROBE_USER_EMAIL in env or secret_env."
    }
  }

  # The runner must be able to read the secrets before the first execution resolves them.
  depends_on = [
    google_project_service.apis,
    google_secret_manager_secret_iam_member.runner_reads,
    google_project_iam_member.runner_telemetry,
    google_cloud_run_v2_service_iam_member.runner_views_services,
    google_secret_manager_secret_iam_member.runner_views_secrets,
    google_logging_log_view_iam_member.runner_reads_netra_errors,
  ]
}
