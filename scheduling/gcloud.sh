#!/usr/bin/env bash
# golden-path-probe on Cloud Scheduler -> Cloud Run Job, with plain gcloud: the same deployment as
# scheduling/terraform/, for projects not managed with Terraform. Safe to re-run (it updates what exists).
#
#   1. Create the secrets first (their values never appear in this script), e.g.:
#        printf %s "$VALUE" | gcloud secrets create golden-probe-e2e-bypass-key --data-file=- --project netra-staging
#   2. Edit the variables below (or export them), then: bash scheduling/gcloud.sh
#
# Needs: gcloud (with the alpha component, for the alert policies) and jq; permission to create service
# accounts, Cloud Run jobs, scheduler jobs, log metrics and alert policies, and to act as the two
# service accounts it creates (roles/iam.serviceAccountUser).
set -euo pipefail

# --- Variables (the README documents each) ------------------------------------------------------------
# Set them here or export them before running. The target has no default on purpose: the values in the
# comments are examples (staging at the time of writing), not something to deploy by accident.
PROJECT_ID="${PROJECT_ID:?set PROJECT_ID, e.g. netra-staging}"
IMAGE="${IMAGE:?set IMAGE, e.g. us-central1-docker.pkg.dev/netra-staging/probes/golden-path-probe:0.1.0}"
API_URL="${API_URL-}"    # e.g. https://api.staging.netrasystems.ai; empty only for a definition with targets
AUTH_URL="${AUTH_URL-}"  # e.g. https://auth.staging.netrasystems.ai; set together with API_URL
REGION="${REGION:-us-central1}"
JOB_NAME="${JOB_NAME:-golden-path-probe}"  # also names the service accounts, trigger, metrics
WS_URL="${WS_URL:-}"                       # empty: derived from API_URL by the probe
LOGIN="${LOGIN:-e2e}"                      # e2e | password | browser (browser needs the browser image)
PROBE="${PROBE:-golden-path}"              # definition under probes/ (file name without .ts)
TASK_COUNT="${TASK_COUNT:-1}"              # > 1 shards a definition's targets (e.g. staging-regions)
PROBE_TIMEOUT_MS="${PROBE_TIMEOUT_MS:-45000}"  # the probe's deadline for one whole run
AGENT_TIMEOUT_MS="${AGENT_TIMEOUT_MS:-30000}"  # ...of which the agent run may take this much
TASK_TIMEOUT="${TASK_TIMEOUT:-55s}"        # above PROBE_TIMEOUT_MS, under the one-minute schedule
CPU="${CPU:-1}"
MEMORY="${MEMORY:-512Mi}"                  # 2Gi for the browser image
SCHEDULE="${SCHEDULE:-* * * * *}"
TIME_ZONE="${TIME_ZONE:-Etc/UTC}"
# Env var => Secret Manager secret id, comma-separated (add PROBE_USER_PASSWORD=... for login password).
SECRET_ENV="${SECRET_ENV:-PROBE_E2E_BYPASS_KEY=golden-probe-e2e-bypass-key,PROBE_SERVICE_SECRET=golden-probe-service-secret}"
# Further plain env vars, one KEY=VALUE per line, e.g.
#   PROBE_USER_EMAIL=golden-probe@example.com
#   PROBE_TRACE_URL_TEMPLATE=https://console.cloud.google.com/traces/list?project=netra-staging&tid={traceId}
#   OTEL_EXPORTER_OTLP_ENDPOINT=https://otel-collector.internal.example:4318
EXTRA_ENV="${EXTRA_ENV:-}"
NOTIFICATION_CHANNELS="${NOTIFICATION_CHANNELS:-}"   # comma-separated projects/P/notificationChannels/N
ALERT_FAILED_RUNS_THRESHOLD="${ALERT_FAILED_RUNS_THRESHOLD:-2}"   # more than this many failed runs...
ALERT_WINDOW_SECONDS="${ALERT_WINDOW_SECONDS:-300}"               # ...within this window alert

if { [ -z "$API_URL" ] && [ -n "$AUTH_URL" ]; } || { [ -n "$API_URL" ] && [ -z "$AUTH_URL" ]; }; then
  echo "Set API_URL and AUTH_URL together (or neither, for a probe definition that lists its own targets)." >&2
  exit 2
fi

RUNNER_SA="${JOB_NAME}-run@${PROJECT_ID}.iam.gserviceaccount.com"
SCHEDULER_SA="${JOB_NAME}-sched@${PROJECT_ID}.iam.gserviceaccount.com"
g() { gcloud --project "$PROJECT_ID" --quiet "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- 1. APIs --------------------------------------------------------------------------------------------
g services enable run.googleapis.com cloudscheduler.googleapis.com secretmanager.googleapis.com \
  iam.googleapis.com logging.googleapis.com monitoring.googleapis.com

# --- 2. Service accounts: the job's (reads its secrets, nothing else) and the scheduler's (runs the job) -
g iam service-accounts describe "$RUNNER_SA" >/dev/null 2>&1 ||
  g iam service-accounts create "${JOB_NAME}-run" --display-name "golden-path-probe job (${JOB_NAME})"
g iam service-accounts describe "$SCHEDULER_SA" >/dev/null 2>&1 ||
  g iam service-accounts create "${JOB_NAME}-sched" --display-name "golden-path-probe scheduler (${JOB_NAME})"

IFS=',' read -r -a secret_pairs <<<"$SECRET_ENV"
set_secrets=()
for pair in "${secret_pairs[@]}"; do
  secret="${pair#*=}"
  g secrets add-iam-policy-binding "$secret" \
    --member "serviceAccount:${RUNNER_SA}" --role roles/secretmanager.secretAccessor >/dev/null
  set_secrets+=("${pair}:latest")   # ENV=secret:latest, resolved at each execution
done

# --- 3. The Cloud Run job -------------------------------------------------------------------------------
# Plain env goes through a file (JSON, which gcloud reads as YAML): values such as the trace template
# hold characters (&, ?, =) that --set-env-vars would need escaping for.
{
  printf '%s\n' "PROBE_LOGIN=${LOGIN}" "GOOGLE_CLOUD_PROJECT=${PROJECT_ID}"
  if [ -n "$API_URL" ]; then echo "PROBE_API_URL=${API_URL}"; fi
  if [ -n "$AUTH_URL" ]; then echo "PROBE_AUTH_URL=${AUTH_URL}"; fi
  if [ -n "$WS_URL" ]; then echo "PROBE_WS_URL=${WS_URL}"; fi
  printf '%s\n' "$EXTRA_ENV"
} | jq -R -n '[inputs | select(length > 0) | capture("^(?<key>[^=]+)=(?<value>.*)$")] | from_entries' >"$work/env.json"

args="run,--timeout-ms,${PROBE_TIMEOUT_MS},--agent-timeout-ms,${AGENT_TIMEOUT_MS}"
if [ -n "$PROBE" ]; then args="${args},--probe,${PROBE}"; fi

# max-retries 0: one run is one observation, a retry would hide the failure the probe reports.
g run jobs deploy "$JOB_NAME" \
  --region "$REGION" \
  --image "$IMAGE" \
  --args "$args" \
  --service-account "$RUNNER_SA" \
  --tasks "$TASK_COUNT" --parallelism "$TASK_COUNT" \
  --max-retries 0 \
  --task-timeout "$TASK_TIMEOUT" \
  --cpu "$CPU" --memory "$MEMORY" \
  --env-vars-file "$work/env.json" \
  --set-secrets "$(IFS=','; echo "${set_secrets[*]}")" \
  --labels app=golden-path-probe

g run jobs add-iam-policy-binding "$JOB_NAME" --region "$REGION" \
  --member "serviceAccount:${SCHEDULER_SA}" --role roles/run.invoker >/dev/null

# --- 4. Cloud Scheduler: POST jobs.run every minute with an OAuth token (a Google API, not OIDC) ----------
run_uri="https://run.googleapis.com/v2/projects/${PROJECT_ID}/locations/${REGION}/jobs/${JOB_NAME}:run"
schedule_flags=(
  --location "$REGION" --schedule "$SCHEDULE" --time-zone "$TIME_ZONE"
  --uri "$run_uri" --http-method POST --attempt-deadline 30s --max-retry-attempts 0
  --oauth-service-account-email "$SCHEDULER_SA"
  --oauth-token-scope "https://www.googleapis.com/auth/cloud-platform"
)
if g scheduler jobs describe "${JOB_NAME}-trigger" --location "$REGION" >/dev/null 2>&1; then
  g scheduler jobs update http "${JOB_NAME}-trigger" "${schedule_flags[@]}"
else
  g scheduler jobs create http "${JOB_NAME}-trigger" "${schedule_flags[@]}"
fi

# --- 5. Log-based metrics from the probe's JSON summary line (result, verdict, failedHop) ---------------
job_logs_filter="resource.type=\"cloud_run_job\" resource.labels.job_name=\"${JOB_NAME}\" resource.labels.location=\"${REGION}\""
failed_runs_filter="${job_logs_filter} jsonPayload.result=\"fail\""
jq -n --arg filter "$failed_runs_filter" '{
  description: "golden-path-probe runs whose result is fail, by verdict code, failed hop and target.",
  filter: $filter,
  metricDescriptor: {
    metricKind: "DELTA", valueType: "INT64", unit: "1",
    labels: [{key: "verdict", valueType: "STRING"}, {key: "failed_hop", valueType: "STRING"}, {key: "target", valueType: "STRING"}]
  },
  labelExtractors: {
    verdict: "EXTRACT(jsonPayload.verdict)", failed_hop: "EXTRACT(jsonPayload.failedHop)", target: "EXTRACT(jsonPayload.target)"
  }
}' >"$work/failed_runs.json"
jq -n --arg filter "${job_logs_filter} jsonPayload.result=(\"pass\" OR \"degraded\" OR \"fail\")" '{
  description: "golden-path-probe runs by result (pass, degraded, fail).",
  filter: $filter,
  metricDescriptor: {metricKind: "DELTA", valueType: "INT64", unit: "1", labels: [{key: "result", valueType: "STRING"}]},
  labelExtractors: {result: "EXTRACT(jsonPayload.result)"}
}' >"$work/runs.json"
for metric in failed_runs runs; do
  if g logging metrics describe "${JOB_NAME}/${metric}" >/dev/null 2>&1; then
    g logging metrics update "${JOB_NAME}/${metric}" --config-from-file "$work/${metric}.json"
  else
    g logging metrics create "${JOB_NAME}/${metric}" --config-from-file "$work/${metric}.json"
  fi
done

# --- 6. Alert policies: the golden path is failing; the probe has gone quiet ----------------------------
jq -n \
  --arg job "$JOB_NAME" --arg channels "$NOTIFICATION_CHANNELS" --arg filter "$failed_runs_filter" \
  --argjson threshold "$ALERT_FAILED_RUNS_THRESHOLD" --argjson window "$ALERT_WINDOW_SECONDS" '{
  displayName: "golden-path-probe: golden path failing (\($job))",
  combiner: "OR",
  notificationChannels: ($channels | split(",") | map(select(length > 0))),
  conditions: [{
    displayName: "more than \($threshold) failed runs in \($window / 60) min",
    conditionThreshold: {
      filter: "metric.type=\"logging.googleapis.com/user/\($job)/failed_runs\" AND resource.type=\"cloud_run_job\"",
      comparison: "COMPARISON_GT",
      thresholdValue: $threshold,
      duration: "0s",
      aggregations: [{alignmentPeriod: "\($window)s", perSeriesAligner: "ALIGN_SUM", crossSeriesReducer: "REDUCE_SUM"}],
      trigger: {count: 1}
    }
  }],
  alertStrategy: {autoClose: "1800s"},
  documentation: {
    mimeType: "text/markdown",
    content: "The golden-path probe (Cloud Run job `\($job)`) failed more than \($threshold) runs in \($window / 60) minutes. Each failed run'"'"'s summary line names the **verdict** and the **failedHop**; Logs Explorer:\n\n```\n\($filter)\n```"
  }
}' >"$work/failing.json"
jq -n --arg job "$JOB_NAME" --arg channels "$NOTIFICATION_CHANNELS" '{
  displayName: "golden-path-probe: no runs reported (\($job))",
  combiner: "OR",
  notificationChannels: ($channels | split(",") | map(select(length > 0))),
  conditions: [{
    displayName: "no probe run summary for 10 min",
    conditionAbsent: {
      filter: "metric.type=\"logging.googleapis.com/user/\($job)/runs\" AND resource.type=\"cloud_run_job\"",
      duration: "600s",
      aggregations: [{alignmentPeriod: "300s", perSeriesAligner: "ALIGN_SUM", crossSeriesReducer: "REDUCE_SUM"}],
      trigger: {count: 1}
    }
  }],
  documentation: {
    mimeType: "text/markdown",
    content: "The golden-path probe `\($job)` has written no run summary for 10 minutes: the probe is not watching staging. Check the scheduler job `\($job)-trigger` (paused? failing to call jobs.run?), the job'"'"'s executions (exit code 2 = configuration error, 3 = probe bug) and its logs."
  }
}' >"$work/silent.json"
for policy in failing silent; do
  name=$(jq -r .displayName "$work/${policy}.json")
  existing=$(g alpha monitoring policies list --filter "displayName=\"${name}\"" --format 'value(name)' | head -n 1)
  if [ -n "$existing" ]; then
    g alpha monitoring policies update "$existing" --policy-from-file "$work/${policy}.json"
  else
    g alpha monitoring policies create --policy-from-file "$work/${policy}.json"
  fi
done

echo "Deployed. Run once now and wait for the verdict:"
echo "  gcloud run jobs execute ${JOB_NAME} --project ${PROJECT_ID} --region ${REGION} --wait"
