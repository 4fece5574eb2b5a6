# Alerting from the probe's own verdicts and from Cloud Run and Cloud Scheduler. Each run ends with one JSON
# summary line on stdout (Cloud Run sends it to Cloud Logging as jsonPayload):
#   {"severity":"ERROR","result":"fail","verdict":"BACKEND_REJECTS_VALID_TOKEN","failedHop":"chat.messages.list",...}
# and each hop writes one line with "hop" and "durationMs". The log-based metrics below count those lines.
#
# Conditions on the log-based metrics are PromQL with disable_metric_validation: a metric created a moment
# earlier is not yet known to Cloud Monitoring (404 "Cannot find metric(s)" for up to 10 minutes), and a
# filter-based condition is refused until it is. The policies still depend on the metrics explicitly.

locals {
  job_logs_filter = "resource.type=\"cloud_run_job\"\nresource.labels.job_name=\"${google_cloud_run_v2_job.probe.name}\"\nresource.labels.location=\"${var.region}\""
  # RUN_ABORTED: the probe was told to stop (SIGTERM) mid-run, which says nothing about staging. Such a run
  # is neither a failure nor a run that reached a verdict; the failed-executions alert sees the kill.
  concluded_runs_filter = "${local.job_logs_filter}\njsonPayload.result=(\"pass\" OR \"degraded\" OR \"fail\")\nNOT jsonPayload.verdict=\"RUN_ABORTED\""
  failed_runs_filter    = "${local.job_logs_filter}\njsonPayload.result=\"fail\"\nNOT jsonPayload.verdict=\"RUN_ABORTED\""
  hop_lines_filter      = "${local.job_logs_filter}\njsonPayload.hop:*\njsonPayload.durationMs>=0"
  # The job's own outcome when it carries no verdict, from the probe's own lines: its line on exit 2 (configuration)
  # or 3 (probe bug), and a run stopped by a signal (RUN_ABORTED). One per execution that ended without a verdict.
  # No Cloud Run line for a task stopped at its timeout: Google documents the stop ("If the task attempt does not
  # complete within this time, it will be stopped", cloud.google.com/run/docs/configuring/task-timeout) but no log
  # wording or field for it; see scheduling/README.md "Executions without a verdict".
  no_verdict_filter = "${local.job_logs_filter}\n(jsonPayload.outcome=\"no_verdict\" OR jsonPayload.verdict=\"RUN_ABORTED\")"
  scheduler_errors_filter = "resource.type=\"cloud_scheduler_job\"\nresource.labels.job_id=\"${google_cloud_scheduler_job.probe.name}\"\nresource.labels.location=\"${var.region}\"\nseverity>=ERROR"

  # PromQL selectors (Cloud Monitoring's UTF-8 metric names) of the metrics the policies and the dashboard use.
  promql_failed_runs = "{\"__name__\"=\"logging.googleapis.com/user/${google_logging_metric.failed_runs.name}\",\"monitored_resource\"=\"cloud_run_job\"}"
  promql_runs        = "{\"__name__\"=\"logging.googleapis.com/user/${google_logging_metric.runs.name}\",\"monitored_resource\"=\"cloud_run_job\"}"
  promql_no_verdict  = "{\"__name__\"=\"logging.googleapis.com/user/${google_logging_metric.no_verdict.name}\",\"monitored_resource\"=\"cloud_run_job\"}"

  runbook = "[Runbook](${var.runbook_url})"
}

resource "google_logging_metric" "failed_runs" {
  project     = var.project_id
  name        = "${var.job_name}/failed_runs"
  description = "golden-path-probe runs whose result is fail (RUN_ABORTED left out), by verdict code, failed hop and target."
  filter      = local.failed_runs_filter

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = "INT64"
    unit         = "1"
    display_name = "golden-path-probe failed runs (${var.job_name})"

    labels {
      key         = "verdict"
      value_type  = "STRING"
      description = "Verdict code of the run, e.g. WS_UPGRADE_REJECTED."
    }
    labels {
      key         = "failed_hop"
      value_type  = "STRING"
      description = "First failing hop, e.g. ws.connect."
    }
    labels {
      key         = "target"
      value_type  = "STRING"
      description = "Target name, for a probe definition with several targets (empty otherwise)."
    }
  }

  label_extractors = {
    verdict    = "EXTRACT(jsonPayload.verdict)"
    failed_hop = "EXTRACT(jsonPayload.failedHop)"
    target     = "EXTRACT(jsonPayload.target)"
  }

  depends_on = [google_project_service.apis]
}

# Every run that reached a verdict, by result and verdict: the pass rate, the last verdicts, and silence.
resource "google_logging_metric" "runs" {
  project     = var.project_id
  name        = "${var.job_name}/runs"
  description = "golden-path-probe runs that reached a verdict, by result (pass, degraded, fail) and verdict code."
  filter      = local.concluded_runs_filter

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = "INT64"
    unit         = "1"
    display_name = "golden-path-probe runs (${var.job_name})"

    labels {
      key         = "result"
      value_type  = "STRING"
      description = "pass, degraded or fail."
    }
    labels {
      key         = "verdict"
      value_type  = "STRING"
      description = "Verdict code of the run (PASS for a healthy run)."
    }
  }

  label_extractors = {
    result  = "EXTRACT(jsonPayload.result)"
    verdict = "EXTRACT(jsonPayload.verdict)"
  }

  depends_on = [google_project_service.apis]
}

# Executions that ended without a verdict, counted from their own outcome lines (not a difference of two metrics,
# which arrive with different delays and, with several tasks, count executions against runs).
resource "google_logging_metric" "no_verdict" {
  project     = var.project_id
  name        = "${var.job_name}/no_verdict"
  description = "golden-path-probe executions that ended without a verdict: exit 2 or 3, or stopped by a signal (RUN_ABORTED)."
  filter      = local.no_verdict_filter

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = "INT64"
    unit         = "1"
    display_name = "golden-path-probe runs without a verdict (${var.job_name})"

    labels {
      key         = "exit_code"
      value_type  = "STRING"
      description = "2 (configuration error) or 3 (probe bug); empty when the task was stopped or killed."
    }
  }

  label_extractors = {
    exit_code = "EXTRACT(jsonPayload.exitCode)"
  }

  depends_on = [google_project_service.apis]
}

# Hop latencies from the hop lines (durationMs), for the dashboard.
resource "google_logging_metric" "hop_latency" {
  project         = var.project_id
  name            = "${var.job_name}/hop_latency"
  description     = "golden-path-probe hop durations in milliseconds, by hop and status."
  filter          = local.hop_lines_filter
  value_extractor = "EXTRACT(jsonPayload.durationMs)"

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = "DISTRIBUTION"
    unit         = "ms"
    display_name = "golden-path-probe hop latency (${var.job_name})"

    labels {
      key         = "hop"
      value_type  = "STRING"
      description = "Hop name, e.g. agent.run."
    }
    labels {
      key         = "status"
      value_type  = "STRING"
      description = "pass, degraded, fail or skip."
    }
  }

  label_extractors = {
    hop    = "EXTRACT(jsonPayload.hop)"
    status = "EXTRACT(jsonPayload.status)"
  }

  # 1 ms to about 65 s.
  bucket_options {
    exponential_buckets {
      num_finite_buckets = 16
      growth_factor      = 2
      scale              = 1
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_monitoring_alert_policy" "golden_path_failing" {
  project               = var.project_id
  display_name          = "golden-path-probe: golden path failing (${var.job_name})"
  combiner              = "OR"
  severity              = "CRITICAL"
  notification_channels = var.notification_channels

  conditions {
    display_name = "more than ${var.alert_failed_runs_threshold} failed runs in ${var.alert_window_seconds / 60} min"

    condition_prometheus_query_language {
      query                     = "sum(increase(${local.promql_failed_runs}[${var.alert_window_seconds}s])) > ${var.alert_failed_runs_threshold}"
      duration                  = "0s"
      evaluation_interval       = "60s"
      disable_metric_validation = true
    }
  }

  alert_strategy {
    auto_close = "1800s"
  }

  documentation {
    mime_type = "text/markdown"
    subject   = "Golden path failing on ${var.job_name}"
    content   = <<-EOT
      The golden-path probe (Cloud Run job `${google_cloud_run_v2_job.probe.name}`, ${var.region}) failed
      more than ${var.alert_failed_runs_threshold} runs in ${var.alert_window_seconds / 60} minutes: a Netra Apex user
      probably cannot log in, connect, run an agent or chat on the target. ${local.runbook}

      Each failed run's summary line names the **verdict** (what broke and why) and the **failedHop**; its
      trace link (`logging.googleapis.com/trace`) opens the run's spans in Cloud Trace. Logs Explorer,
      project `${var.project_id}`:

      ```
      ${local.failed_runs_filter}
      ```
    EOT

    links {
      display_name = "Runbook"
      url          = var.runbook_url
    }
  }

  depends_on = [google_logging_metric.failed_runs]
}

resource "google_monitoring_alert_policy" "probe_silent" {
  project      = var.project_id
  display_name = "golden-path-probe: no runs reported (${var.job_name})"
  combiner     = "OR"
  severity     = "CRITICAL"
  # A paused scheduler is silent on purpose.
  enabled               = !var.scheduler_paused
  notification_channels = var.notification_channels

  conditions {
    display_name = "no probe run summary for ${var.alert_silence_seconds / 60} min"

    # absent_over_time is 1 also when the metric has never had a point: a probe that never ran once (bad
    # image, exit 2 from the first run on) pages too. A metric-absence condition would wait for a first point.
    condition_prometheus_query_language {
      query                     = "absent_over_time(${local.promql_runs}[${var.alert_silence_seconds}s])"
      duration                  = "300s"
      evaluation_interval       = "60s"
      disable_metric_validation = true
    }
  }

  alert_strategy {
    auto_close = "1800s"
  }

  documentation {
    mime_type = "text/markdown"
    subject   = "golden-path-probe ${var.job_name} reports nothing"
    content   = <<-EOT
      The golden-path probe `${google_cloud_run_v2_job.probe.name}` has written no run summary for
      ${var.alert_silence_seconds / 60} minutes (or never has): nothing is watching staging. ${local.runbook}

      Check the scheduler job `${google_cloud_scheduler_job.probe.name}` (paused? failing to call jobs.run?),
      the job's executions (image pull, secret access, exit code 2 = configuration error, 3 = probe bug;
      `gcloud run jobs executions list --job ${google_cloud_run_v2_job.probe.name} --region ${var.region}`) and its stderr.
    EOT

    links {
      display_name = "Runbook"
      url          = var.runbook_url
    }
  }

  depends_on = [google_logging_metric.runs]
}

resource "google_monitoring_alert_policy" "executions_failing" {
  project               = var.project_id
  display_name          = "golden-path-probe: executions failing without a verdict (${var.job_name})"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = var.notification_channels

  conditions {
    display_name = "more than ${var.alert_failed_executions_threshold} runs without a verdict in ${var.alert_window_seconds / 60} min"

    condition_prometheus_query_language {
      query                     = "sum(increase(${local.promql_no_verdict}[${var.alert_window_seconds}s])) > ${var.alert_failed_executions_threshold}"
      duration                  = "0s"
      evaluation_interval       = "60s"
      disable_metric_validation = true
    }
  }

  alert_strategy {
    auto_close = "1800s"
  }

  documentation {
    mime_type = "text/markdown"
    subject   = "golden-path-probe ${var.job_name}: executions fail without a verdict"
    content   = <<-EOT
      Executions of the Cloud Run job `${google_cloud_run_v2_job.probe.name}` fail without the probe reporting a
      verdict: the probe is not observing staging. ${local.runbook}

      Exit code 2 = configuration error (its stderr names the flag or variable), 3 = probe bug; RUN_ABORTED =
      stopped by a signal (cancelled). A task Cloud Run stopped at its task timeout writes no line this metric
      counts (no log wording for it is documented): the "no runs reported" alert covers a timeout that repeats,
      and `gcloud run jobs executions describe` shows each execution's failed tasks. An image or secret that
      cannot be loaded starts no task: the "no runs reported" alert covers it. Logs Explorer: `${local.no_verdict_filter}`. List the executions with
      `gcloud run jobs executions list --job ${google_cloud_run_v2_job.probe.name} --region ${var.region} --project ${var.project_id}`.
    EOT

    links {
      display_name = "Runbook"
      url          = var.runbook_url
    }
  }

  depends_on = [google_logging_metric.no_verdict]
}

resource "google_monitoring_alert_policy" "scheduler_errors" {
  project               = var.project_id
  display_name          = "golden-path-probe: scheduler cannot start the job (${var.job_name})"
  combiner              = "OR"
  severity              = "ERROR"
  notification_channels = var.notification_channels

  conditions {
    display_name = "Cloud Scheduler logged an error for ${google_cloud_scheduler_job.probe.name}"

    condition_matched_log {
      filter = local.scheduler_errors_filter
    }
  }

  alert_strategy {
    # Log-match policies must rate-limit their notifications: one per 5 minutes is plenty at one tick a minute.
    notification_rate_limit {
      period = "300s"
    }
    auto_close = "1800s"
  }

  documentation {
    mime_type = "text/markdown"
    subject   = "golden-path-probe ${var.job_name}: Cloud Scheduler errors"
    content   = <<-EOT
      Cloud Scheduler failed to start the probe's job (`${google_cloud_scheduler_job.probe.name}` calling jobs.run on
      `${google_cloud_run_v2_job.probe.name}`). ${local.runbook}

      Usual causes: the scheduler's service account lost `roles/run.invoker` on the job (HTTP 403), the job was
      deleted or renamed (404), or the previous execution was still starting. Logs Explorer:

      ```
      ${local.scheduler_errors_filter}
      ```
    EOT

    links {
      display_name = "Runbook"
      url          = var.runbook_url
    }
  }
}

resource "google_monitoring_dashboard" "probe" {
  project = var.project_id
  dashboard_json = templatefile("${path.module}/../dashboard.json.tftpl", {
    job_name               = google_cloud_run_v2_job.probe.name
    region                 = var.region
    runs_metric            = google_logging_metric.runs.name
    failed_runs_metric     = google_logging_metric.failed_runs.name
    hop_latency_metric     = google_logging_metric.hop_latency.name
    concluded_runs_filter  = jsonencode(local.concluded_runs_filter)
  })

  depends_on = [google_logging_metric.runs, google_logging_metric.failed_runs, google_logging_metric.hop_latency]
}
