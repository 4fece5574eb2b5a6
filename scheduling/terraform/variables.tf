# Every input of the golden-path-probe deployment. Set them in terraform.tfvars
# (copy terraform.tfvars.example); the README explains each one in context.

# --- Where it runs -----------------------------------------------------------

variable "project_id" {
  description = "GCP project that hosts the probe's job, scheduler, secrets, metric and alert (e.g. netra-staging)."
  type        = string
}

variable "region" {
  description = "Region of the Cloud Run job and the Cloud Scheduler job (e.g. us-central1)."
  type        = string
  default     = "us-central1"
}

variable "enable_apis" {
  description = "Enable the Google APIs the deployment uses (run, cloudscheduler, secretmanager, iam, logging, monitoring, telemetry, cloudtrace). Set false when the project's APIs are managed elsewhere."
  type        = bool
  default     = true
}

# --- The Cloud Run job ---------------------------------------------------------

variable "job_name" {
  description = "Name of the Cloud Run job; also prefixes the service accounts, the scheduler job and the metrics."
  type        = string
  default     = "golden-path-probe"

  validation {
    # Service account ids are <name>-run / <name>-sched and must be 6-30 characters.
    condition     = can(regex("^[a-z][a-z0-9-]{4,23}$", var.job_name))
    error_message = "job_name: 5-24 characters, lower-case letters, digits and dashes, starting with a letter."
  }
}

variable "image" {
  description = "Probe container image built from the repository's Dockerfile (default target), e.g. us-central1-docker.pkg.dev/netra-staging/probes/golden-path-probe:0.1.0. Use the `browser` target's image for login = \"browser\"."
  type        = string
}

variable "cpu" {
  description = "CPU limit of the probe container (Cloud Run syntax, e.g. \"1\")."
  type        = string
  default     = "1"
}

variable "memory" {
  description = "Memory limit of the probe container (e.g. \"512Mi\"; give the browser image 2Gi)."
  type        = string
  default     = "512Mi"
}

variable "task_count" {
  description = "Tasks per execution, all run in parallel. For a probe definition with targets (e.g. staging-regions), N shards them: each task reads CLOUD_RUN_TASK_INDEX/CLOUD_RUN_TASK_COUNT and probes targets i, i+N, ... (N = number of targets: one each)."
  type        = number
  default     = 1

  validation {
    condition     = var.task_count >= 1 && floor(var.task_count) == var.task_count
    error_message = "task_count must be a whole number >= 1."
  }
}

variable "task_timeout_seconds" {
  description = "Cloud Run kills a task after this many seconds. It must hold the whole time budget (scheduling/README.md, Timing budget): Node start + collector start + probe_timeout_ms + triage + log lookup + clean-up + export flush + margin (checked at plan). Above 60 s, a one-minute schedule overlaps executions, which the probe tolerates."
  type        = number
  default     = 240
}

# --- What the probe does -------------------------------------------------------

variable "api_url" {
  description = "Backend base URL the probe targets (PROBE_API_URL), e.g. https://api.staging.netrasystems.ai. null only when the probe definition lists its own targets (e.g. staging-regions)."
  type        = string
  default     = null
}

variable "auth_url" {
  description = "Auth service base URL (PROBE_AUTH_URL), e.g. https://auth.staging.netrasystems.ai. null together with api_url."
  type        = string
  default     = null
}

variable "ws_url" {
  description = "Backend WebSocket URL (PROBE_WS_URL). null: the probe derives it from api_url (wss scheme + /ws)."
  type        = string
  default     = null
}

variable "login" {
  description = "How the synthetic user logs in (PROBE_LOGIN): e2e (needs PROBE_E2E_BYPASS_KEY in secret_env), password (needs PROBE_USER_EMAIL and PROBE_USER_PASSWORD), or browser (needs the browser image)."
  type        = string
  default     = "e2e"

  validation {
    condition     = contains(["e2e", "password", "browser"], var.login)
    error_message = "login must be e2e, password or browser."
  }
}

variable "probe" {
  description = "Probe definition to run (--probe): a file name under probes/ without .ts, e.g. golden-path or auth-only. null: the probe's default (golden-path)."
  type        = string
  default     = "golden-path"
}

variable "probe_timeout_ms" {
  description = "Deadline of one whole run, in milliseconds (--timeout-ms): the agent's deadline plus 30 s for the other hops."
  type        = number
  default     = 180000
}

variable "agent_timeout_ms" {
  description = "Deadline for the five agent events, in milliseconds (--agent-timeout-ms); the one recorded healthy staging run took 85 s. Must leave room for the other hops inside probe_timeout_ms."
  type        = number
  default     = 150000
}

variable "agent_degraded_ms" {
  description = "An agent run slower than this many milliseconds is degraded, not failed (--agent-degraded-ms); above the recorded 85 s, below agent_timeout_ms."
  type        = number
  default     = 100000
}

variable "secret_env" {
  description = "Environment variables filled from Secret Manager (latest version at each execution): env var name => secret id in project_id (or a full projects/P/secrets/S name). The secrets must exist; their values never pass through Terraform."
  type        = map(string)
  default = {
    PROBE_E2E_BYPASS_KEY = "golden-probe-e2e-bypass-key"
    PROBE_SERVICE_SECRET = "golden-probe-service-secret"
  }
}

variable "env" {
  description = "Further plain (non-secret) environment variables, e.g. PROBE_USER_EMAIL, PROBE_SERVICE_ID, OTEL_RESOURCE_ATTRIBUTES. With export_traces the OTEL_EXPORTER_* variables point at the sidecar; set them here only to send elsewhere."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(setintersection(keys(var.env), ["PROBE_E2E_BYPASS_KEY", "PROBE_USER_PASSWORD", "PROBE_SERVICE_SECRET"])) == 0
    error_message = "PROBE_E2E_BYPASS_KEY, PROBE_USER_PASSWORD and PROBE_SERVICE_SECRET are secrets: map them in secret_env, not env."
  }
}

variable "extra_args" {
  description = "Further `golden-probe run` flags appended to the job's args, e.g. [\"--compare-secret-values\"]. Never a secret: secrets come only from secret_env."
  type        = list(string)
  default     = []
}

variable "export_traces" {
  description = "Run an OpenTelemetry Collector sidecar in the job that writes the probe's spans to Cloud Trace (telemetry.googleapis.com) as the job's service account, and grant that account roles/telemetry.tracesWriter and roles/cloudtrace.agent."
  type        = bool
  default     = true
}

variable "otel_collector_image" {
  description = "Image of the collector sidecar (the Google-built OpenTelemetry Collector; it has the googleclientauth extension the config uses)."
  type        = string
  default     = "us-docker.pkg.dev/cloud-ops-agents-artifacts/google-cloud-opentelemetry-collector/otelcol-google:0.144.0"
}

variable "grant_drift_checks" {
  description = "For the probe's drift checks, give its service account read-only views of exactly what they read: roles/run.viewer on the two Netra services, roles/secretmanager.viewer (metadata, not values) on the secrets those services reference, and roles/logging.viewAccessor on a log view of the services' ERROR entries (a bucket and sink of their own)."
  type        = bool
  default     = true
}

variable "backend_service" {
  description = "Cloud Run service name of the Netra backend in project_id/region, read by the drift checks (the two Netra deploy paths name it netra-backend or netra-backend-staging)."
  type        = string
  default     = "netra-backend-staging"
}

variable "auth_service" {
  description = "Cloud Run service name of the Netra auth service in project_id/region, read by the drift checks (netra-auth or netra-auth-service)."
  type        = string
  default     = "netra-auth-service"
}

variable "compare_secret_ids" {
  description = "Secret Manager secret ids whose values the probe may read to compare them (only with --compare-secret-values in extra_args): each gets roles/secretmanager.secretAccessor for the probe's account. Empty: none."
  type        = list(string)
  default     = []
}

# --- Schedule ----------------------------------------------------------------------

variable "schedule" {
  description = "Cron schedule of the Cloud Scheduler job (every minute by default)."
  type        = string
  default     = "* * * * *"
}

variable "time_zone" {
  description = "Time zone the schedule is read in."
  type        = string
  default     = "Etc/UTC"
}

variable "scheduler_paused" {
  description = "Pause the scheduler (e.g. during a planned staging outage) without removing anything."
  type        = bool
  default     = false
}

# --- Alerting ----------------------------------------------------------------------

variable "notification_channels" {
  description = "Cloud Monitoring notification channel ids (projects/P/notificationChannels/N) every alert notifies, e.g. the on-call email and a paging webhook. Required: an alert that reaches nobody is no alert."
  type        = list(string)

  validation {
    condition     = length(var.notification_channels) > 0
    error_message = "notification_channels: give at least one channel (projects/P/notificationChannels/N); the README shows how to create an email and a webhook channel."
  }
  validation {
    condition     = alltrue([for c in var.notification_channels : can(regex("^projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/notificationChannels/[0-9]+$", c))])
    error_message = "notification_channels: each must be a full id, projects/PROJECT/notificationChannels/NUMBER (gcloud beta monitoring channels list --format='value(name)')."
  }
}

variable "runbook_url" {
  description = "Runbook linked from every alert's documentation (e.g. the probe's scheduling/README.md section 7 in your repository host)."
  type        = string

  validation {
    condition     = can(regex("^https://", var.runbook_url))
    error_message = "runbook_url must be an https:// URL."
  }
}

variable "alert_failed_runs_threshold" {
  description = "Alert when more than this many runs fail within alert_window_seconds (2 of a 5-minute window = 3 failed minutes out of 5, which rides out a single blip)."
  type        = number
  default     = 2
}

variable "alert_failed_executions_threshold" {
  description = "Alert when more than this many runs end without a verdict (exit 2 or 3, or stopped by a signal; the no_verdict log-based metric counts the probe's own lines) within alert_window_seconds."
  type        = number
  default     = 1
}

variable "alert_silence_seconds" {
  description = "Alert when no run has reported a verdict for this long (also when none ever has), in seconds."
  type        = number
  default     = 600
}

variable "alert_window_seconds" {
  description = "Window over which failed runs are counted for the alert, in seconds (a multiple of 60)."
  type        = number
  default     = 300
}
