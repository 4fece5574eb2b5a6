# Cloud Scheduler starts one execution of the job per tick by calling the Cloud Run Admin API
# (jobs.run). That is a Google API, so the call carries an OAuth access token, not an OIDC ID token.
resource "google_cloud_scheduler_job" "probe" {
  project     = var.project_id
  region      = var.region
  name        = "${var.job_name}-trigger"
  description = "Starts the golden-path-probe Cloud Run job ${var.job_name}."
  schedule    = var.schedule
  time_zone   = var.time_zone
  paused      = var.scheduler_paused
  # jobs.run answers as soon as the execution is created; the run itself is not awaited.
  attempt_deadline = "30s"

  retry_config {
    # A missed tick is made up by the next one; a retry would only bunch executions together.
    retry_count = 0
  }

  http_target {
    http_method = "POST"
    uri         = "https://run.googleapis.com/v2/projects/${var.project_id}/locations/${var.region}/jobs/${google_cloud_run_v2_job.probe.name}:run"

    oauth_token {
      service_account_email = google_service_account.scheduler.email
      scope                 = "https://www.googleapis.com/auth/cloud-platform"
    }
  }

  depends_on = [google_cloud_run_v2_job_iam_member.scheduler_runs_job]
}
