# Two identities, each with only what it needs:
# - the probe's job runs as `runner`: it may read the named secrets, write its spans (the collector
#   sidecar runs as the same account), and read the staging deployment's configuration for the probe's
#   drift checks. Its stdout reaches Cloud Logging through Cloud Run itself, which needs no role.
# - Cloud Scheduler calls the Run Admin API as `scheduler`: it may run this one job.

resource "google_service_account" "runner" {
  project      = var.project_id
  account_id   = "${var.job_name}-run"
  display_name = "golden-path-probe job (${var.job_name})"
  description  = "Runs the golden-path-probe Cloud Run job; reads only the probe's secrets."
  depends_on   = [google_project_service.apis]
}

resource "google_service_account" "scheduler" {
  project      = var.project_id
  account_id   = "${var.job_name}-sched"
  display_name = "golden-path-probe scheduler (${var.job_name})"
  description  = "Used by Cloud Scheduler to start the golden-path-probe job; may run only that job."
  depends_on   = [google_project_service.apis]
}

resource "google_secret_manager_secret_iam_member" "runner_reads" {
  for_each = toset(values(var.secret_env))

  project   = var.project_id
  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.runner.email}"
}

# The collector sidecar exports spans to telemetry.googleapis.com, which checks telemetry.traces.write.
resource "google_project_iam_member" "runner_telemetry" {
  for_each = var.export_traces ? toset(["roles/telemetry.tracesWriter", "roles/cloudtrace.agent"]) : toset([])

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.runner.email}"
}

# Read-only views the probe's drift checks use: Cloud Run services and revisions, secret metadata (not
# values), and the services' logs.
resource "google_project_iam_member" "runner_drift_checks" {
  for_each = var.grant_drift_checks ? toset(["roles/run.viewer", "roles/secretmanager.viewer", "roles/logging.viewer"]) : toset([])

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.runner.email}"
}

# --compare-secret-values reads the staging services' secret values to compare them: only these secrets.
resource "google_secret_manager_secret_iam_member" "runner_compares" {
  for_each = toset(var.compare_secret_ids)

  project   = var.project_id
  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.runner.email}"
}

resource "google_cloud_run_v2_job_iam_member" "scheduler_runs_job" {
  project  = var.project_id
  location = var.region
  name     = google_cloud_run_v2_job.probe.name
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.scheduler.email}"
}
