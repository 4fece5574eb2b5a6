# Alerting from the probe's own verdicts. Each run ends with one JSON summary line on stdout:
#   {"severity":"ERROR","result":"fail","verdict":"WS_UPGRADE_REJECTED","failedHop":"ws.connect",...}
# Cloud Run sends it to Cloud Logging as jsonPayload; the log-based metrics below count those lines.

locals {
  job_logs_filter = join("\n", [
    "resource.type=\"cloud_run_job\"",
    "resource.labels.job_name=\"${google_cloud_run_v2_job.probe.name}\"",
    "resource.labels.location=\"${var.region}\"",
  ])
  failed_runs_filter = "${local.job_logs_filter}\njsonPayload.result=\"fail\""
}

resource "google_logging_metric" "failed_runs" {
  project     = var.project_id
  name        = "${var.job_name}/failed_runs"
  description = "golden-path-probe runs whose result is fail, by verdict code, failed hop and target."
  filter      = local.failed_runs_filter

  metric_descriptor {
    metric_kind  = "DELTA"
    value_type   = "INT64"
    unit         = "1"
    display_name = "golden-path-probe failed runs (${var.job_name})"

    labels {
      key         = "verdict"
      value_type  = "STRING"
      description = "Verdict code of the run (design §3), e.g. WS_UPGRADE_REJECTED."
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

# Every run, by result: for dashboards, and to notice the probe itself going quiet.
resource "google_logging_metric" "runs" {
  project     = var.project_id
  name        = "${var.job_name}/runs"
  description = "golden-path-probe runs by result (pass, degraded, fail)."
  filter      = "${local.job_logs_filter}\njsonPayload.result=(\"pass\" OR \"degraded\" OR \"fail\")"

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
  }

  label_extractors = {
    result = "EXTRACT(jsonPayload.result)"
  }

  depends_on = [google_project_service.apis]
}

resource "google_monitoring_alert_policy" "golden_path_failing" {
  project               = var.project_id
  display_name          = "golden-path-probe: golden path failing (${var.job_name})"
  combiner              = "OR"
  notification_channels = var.notification_channels

  conditions {
    display_name = "more than ${var.alert_failed_runs_threshold} failed runs in ${var.alert_window_seconds / 60} min"

    condition_threshold {
      filter          = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.failed_runs.name}\" AND resource.type=\"cloud_run_job\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.alert_failed_runs_threshold
      duration        = "0s"

      aggregations {
        alignment_period     = "${var.alert_window_seconds}s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }

      trigger {
        count = 1
      }
    }
  }

  alert_strategy {
    auto_close = "1800s"
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      The golden-path probe (Cloud Run job `${google_cloud_run_v2_job.probe.name}`, ${var.region}) failed
      more than ${var.alert_failed_runs_threshold} runs in ${var.alert_window_seconds / 60} minutes: a Netra Apex user
      probably cannot log in, connect, run an agent or chat on the target.

      Each failed run's summary line names the **verdict** (what broke and why) and the **failedHop**.
      Logs Explorer, project `${var.project_id}`:

      ```
      ${local.failed_runs_filter}
      ```

      Verdict codes are explained in the probe's design (§3) and README; the line's `logging.googleapis.com/trace`
      links the run's trace when traces are exported.
    EOT
  }
}

resource "google_monitoring_alert_policy" "probe_silent" {
  project      = var.project_id
  display_name = "golden-path-probe: no runs reported (${var.job_name})"
  combiner     = "OR"
  # A paused scheduler is silent on purpose.
  enabled               = !var.scheduler_paused
  notification_channels = var.notification_channels

  conditions {
    display_name = "no probe run summary for 10 min"

    condition_absent {
      filter   = "metric.type=\"logging.googleapis.com/user/${google_logging_metric.runs.name}\" AND resource.type=\"cloud_run_job\""
      duration = "600s"

      aggregations {
        alignment_period     = "300s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }

      trigger {
        count = 1
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      The golden-path probe `${google_cloud_run_v2_job.probe.name}` has written no run summary for 10 minutes:
      the probe is not watching staging. Check the scheduler job `${google_cloud_scheduler_job.probe.name}`
      (paused? failing to call jobs.run?), the job's executions (image pull, secret access, exit code 2 =
      configuration error, 3 = probe bug) and its logs.
    EOT
  }
}
