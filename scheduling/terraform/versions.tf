terraform {
  # job.tf uses lifecycle preconditions (Terraform 1.2+).
  required_version = ">= 1.3"

  required_providers {
    google = {
      source = "hashicorp/google"
      # test/deploy checks every resource against 6.50's schema (disable_metric_validation on PromQL
      # conditions, containers' depends_on and startup_probe in Cloud Run jobs).
      version = ">= 6.50, < 8.0"
    }
  }
}

provider "google" {
  project = var.project_id
  region  = var.region
}
