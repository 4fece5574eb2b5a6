terraform {
  # job.tf uses lifecycle preconditions (Terraform 1.2+).
  required_version = ">= 1.3"

  required_providers {
    google = {
      source = "hashicorp/google"
      # 6.x added deletion_protection to google_cloud_run_v2_job, which job.tf sets.
      version = ">= 6.0, < 8.0"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}
