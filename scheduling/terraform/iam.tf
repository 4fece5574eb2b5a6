# Two identities, each with only what it needs:
# - the probe's job runs as `runner`: it may read the named secrets, write its spans (the collector
#   sidecar runs as the same account), and, for the probe's drift checks, view the two Netra services, the
#   metadata of the secrets they reference, and their error logs through one log view. Nothing project-wide
#   but the trace writer. Its stdout reaches Cloud Logging through Cloud Run itself, which needs no role.
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

# The collector sidecar exports spans to telemetry.googleapis.com, which checks telemetry.traces.write: one
# role, on the project (trace writing has no narrower resource).
resource "google_project_iam_member" "runner_telemetry" {
  for_each = var.export_traces ? toset(["roles/telemetry.tracesWriter"]) : toset([])

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.runner.email}"
}

# --- Read-only views for the drift checks, each on exactly what the checks read ------------------------------
locals {
  netra_services = var.grant_drift_checks ? { backend = var.backend_service, auth = var.auth_service } : {}
  # The secrets the two services reference (env valueSource.secretKeyRef), read from the services themselves:
  # the checks read those secrets' versions (metadata, never values).
  netra_secret_ids = toset(flatten([
    for svc in data.google_cloud_run_v2_service.netra : [
      for c in svc.template[0].containers : [
        for e in c.env : [for vs in e.value_source : [for ref in vs.secret_key_ref : ref.secret]]
      ]
    ]
  ]))
  # Log views can filter only on SOURCE(), resource.type and LOG_ID(), not on a service name: the two
  # services' error entries are routed into a bucket of their own, and the probe reads it through a view.
  netra_errors_bucket = "${var.job_name}-netra-errors"
  netra_errors_view   = "projects/${var.project_id}/locations/global/buckets/${local.netra_errors_bucket}/views/netra-errors"
}

data "google_cloud_run_v2_service" "netra" {
  for_each = local.netra_services

  project  = var.project_id
  location = var.region
  name     = each.value

  depends_on = [google_project_service.apis]
}

# Cloud Run services and their revisions: the two Netra services only.
resource "google_cloud_run_v2_service_iam_member" "runner_views_services" {
  for_each = local.netra_services

  project  = var.project_id
  location = var.region
  name     = each.value
  role     = "roles/run.viewer"
  member   = "serviceAccount:${google_service_account.runner.email}"

  depends_on = [google_project_service.apis]
}

# Secret metadata (versions, states, times; not values): the secrets the services reference only.
resource "google_secret_manager_secret_iam_member" "runner_views_secrets" {
  for_each = local.netra_secret_ids

  project   = var.project_id
  secret_id = each.value
  role      = "roles/secretmanager.viewer"
  member    = "serviceAccount:${google_service_account.runner.email}"

  depends_on = [google_project_service.apis]
}

# The two services' ERROR entries (what the log lookup asks for), copied into a small bucket...
resource "google_logging_project_bucket_config" "netra_errors" {
  count = var.grant_drift_checks ? 1 : 0

  project        = var.project_id
  location       = "global"
  bucket_id      = local.netra_errors_bucket
  retention_days = 7
  description    = "ERROR entries of ${var.backend_service} and ${var.auth_service}, for the golden-path probe's log lookup."

  depends_on = [google_project_service.apis]
}

resource "google_logging_project_sink" "netra_errors" {
  count = var.grant_drift_checks ? 1 : 0

  project     = var.project_id
  name        = local.netra_errors_bucket
  destination = "logging.googleapis.com/projects/${var.project_id}/locations/global/buckets/${local.netra_errors_bucket}"
  filter      = "resource.type=\"cloud_run_revision\" AND resource.labels.service_name=(\"${var.backend_service}\" OR \"${var.auth_service}\") AND severity>=ERROR"
  # A log bucket in the sink's own project takes the entries without a grant to a writer identity. Google's LogSink
  # reference, writerIdentity: "Sinks that have a destination that is a log bucket in the same project as the sink
  # do not have a writer_identity and no additional permissions are required." (LogSink.writer_identity in
  # google/logging/v2/logging_config.proto, read at https://pub.dev/documentation/google_common_protos/latest/
  # google_logging_v2_logging_config.pb/LogSink/writerIdentity.html); and `gcloud logging sinks create`
  # asks for a grant only "to a destination outside of Cloud Logging or to a Cloud Logging log bucket in another
  # project" (https://cloud.google.com/sdk/gcloud/reference/logging/sinks/create).
  unique_writer_identity = true

  depends_on = [google_logging_project_bucket_config.netra_errors]
}

# ...which the probe reads through this view, and only this view.
resource "google_logging_log_view" "netra_errors" {
  count = var.grant_drift_checks ? 1 : 0

  parent      = "projects/${var.project_id}"
  location    = "global"
  bucket      = google_logging_project_bucket_config.netra_errors[0].id
  name        = "netra-errors"
  description = "The Netra services' ERROR entries, for the golden-path probe."
  filter      = "resource.type = \"cloud_run_revision\""
}

resource "google_logging_log_view_iam_member" "runner_reads_netra_errors" {
  count = var.grant_drift_checks ? 1 : 0

  parent   = google_logging_log_view.netra_errors[0].parent
  location = google_logging_log_view.netra_errors[0].location
  bucket   = google_logging_log_view.netra_errors[0].bucket
  name     = google_logging_log_view.netra_errors[0].name
  role     = "roles/logging.viewAccessor"
  member   = "serviceAccount:${google_service_account.runner.email}"
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
