output "job_name" {
  description = "Cloud Run job that runs the probe."
  value       = google_cloud_run_v2_job.probe.name
}

output "job_id" {
  description = "Full resource id of the Cloud Run job."
  value       = google_cloud_run_v2_job.probe.id
}

output "scheduler_job_name" {
  description = "Cloud Scheduler job that starts the probe every tick."
  value       = google_cloud_scheduler_job.probe.name
}

output "runner_service_account" {
  description = "Service account the probe runs as (reads the probe's secrets only)."
  value       = google_service_account.runner.email
}

output "scheduler_service_account" {
  description = "Service account Cloud Scheduler uses to run the job."
  value       = google_service_account.scheduler.email
}

output "failed_runs_metric" {
  description = "Metric type of the failed-runs log-based metric (labels verdict, failed_hop, target)."
  value       = "logging.googleapis.com/user/${google_logging_metric.failed_runs.name}"
}

output "runs_metric" {
  description = "Metric type of the all-runs log-based metric (label result)."
  value       = "logging.googleapis.com/user/${google_logging_metric.runs.name}"
}

output "alert_policies" {
  description = "Alert policies: golden path failing, probe silent, executions failing without a verdict, scheduler errors."
  value = {
    failing          = google_monitoring_alert_policy.golden_path_failing.name
    silent           = google_monitoring_alert_policy.probe_silent.name
    executions       = google_monitoring_alert_policy.executions_failing.name
    scheduler_errors = google_monitoring_alert_policy.scheduler_errors.name
  }
}

output "dashboard" {
  description = "Cloud Monitoring dashboard of the probe (pass rate, failed runs by verdict, hop latencies, last verdicts)."
  value       = google_monitoring_dashboard.probe.id
}

output "run_once_command" {
  description = "Start one execution now and wait for it (e.g. to check a new image)."
  value       = "gcloud run jobs execute ${google_cloud_run_v2_job.probe.name} --project ${var.project_id} --region ${var.region} --wait"
}

output "failed_runs_log_filter" {
  description = "Cloud Logging filter that shows the failed runs' summary lines."
  value       = local.failed_runs_filter
}
