#!/usr/bin/env bash
# golden-path-probe on Cloud Scheduler -> Cloud Run Job, with plain gcloud: the same deployment as
# scheduling/terraform/, for projects not managed with Terraform. Safe to re-run (it updates what exists).
#
#   1. Create the secrets first (their values never appear in this script), e.g.:
#        printf %s "$VALUE" | gcloud secrets create golden-probe-e2e-bypass-key --data-file=- --project netra-staging
#   2. Edit the variables below (or export them), then: bash scheduling/gcloud.sh
#
# Needs: gcloud (with the alpha component, for the alert policies) and jq; permission to create service
# accounts, Cloud Run jobs, scheduler jobs, log metrics, alert policies and dashboards, and to act as the
# two service accounts it creates (roles/iam.serviceAccountUser).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

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
PROBE_TIMEOUT_MS="${PROBE_TIMEOUT_MS:-180000}"    # the probe's deadline for one whole run
AGENT_TIMEOUT_MS="${AGENT_TIMEOUT_MS:-150000}"    # ...of which the agent run may take this much (staging's took 85 s)
AGENT_DEGRADED_MS="${AGENT_DEGRADED_MS:-100000}"  # an agent run slower than this is degraded, not failed
TASK_TIMEOUT="${TASK_TIMEOUT:-240s}"       # holds the whole time budget (checked below); runs overlap ticks
CPU="${CPU:-1}"
MEMORY="${MEMORY:-512Mi}"                  # 2Gi for the browser image
SCHEDULE="${SCHEDULE:-* * * * *}"
TIME_ZONE="${TIME_ZONE:-Etc/UTC}"
# Env var => Secret Manager secret id, comma-separated (add PROBE_USER_PASSWORD=... for login password).
SECRET_ENV="${SECRET_ENV:-PROBE_E2E_BYPASS_KEY=golden-probe-e2e-bypass-key,PROBE_SERVICE_SECRET=golden-probe-service-secret}"
# Further plain env vars, one KEY=VALUE per line, e.g.
#   PROBE_USER_EMAIL=golden-probe@example.com
EXTRA_ENV="${EXTRA_ENV:-}"
EXTRA_ARGS="${EXTRA_ARGS:-}"               # further `run` flags, comma-separated (e.g. --compare-secret-values)
# Spans to Cloud Trace through an OpenTelemetry Collector sidecar (true/false).
EXPORT_TRACES="${EXPORT_TRACES:-true}"
OTEL_COLLECTOR_IMAGE="${OTEL_COLLECTOR_IMAGE:-us-docker.pkg.dev/cloud-ops-agents-artifacts/google-cloud-opentelemetry-collector/otelcol-google:0.144.0}"
GRANT_DRIFT_CHECKS="${GRANT_DRIFT_CHECKS:-true}"   # read-only views of the two services, their secrets' metadata, their error logs
COMPARE_SECRET_IDS="${COMPARE_SECRET_IDS:-}"       # comma-separated secret ids for --compare-secret-values
# The Netra services the drift checks read, in PROJECT_ID/REGION (the two Netra deploy paths name them differently).
BACKEND_SERVICE="${BACKEND_SERVICE:-netra-backend-staging}"
AUTH_SERVICE="${AUTH_SERVICE:-netra-auth-service}"
# Required: who is paged (comma-separated projects/P/notificationChannels/N) and the runbook they open.
NOTIFICATION_CHANNELS="${NOTIFICATION_CHANNELS:?set NOTIFICATION_CHANNELS, e.g. projects/netra-staging/notificationChannels/123 (see the README)}"
RUNBOOK_URL="${RUNBOOK_URL:?set RUNBOOK_URL, the https:// page an alert links to}"
ALERT_FAILED_RUNS_THRESHOLD="${ALERT_FAILED_RUNS_THRESHOLD:-2}"   # more than this many failed runs...
ALERT_FAILED_EXECUTIONS_THRESHOLD="${ALERT_FAILED_EXECUTIONS_THRESHOLD:-1}"  # ...or executions without a verdict...
ALERT_WINDOW_SECONDS="${ALERT_WINDOW_SECONDS:-300}"               # ...within this window alert
ALERT_SILENCE_SECONDS="${ALERT_SILENCE_SECONDS:-600}"             # no verdict for this long alerts

if { [ -z "$API_URL" ] && [ -n "$AUTH_URL" ]; } || { [ -n "$API_URL" ] && [ -z "$AUTH_URL" ]; }; then
  echo "Set API_URL and AUTH_URL together (or neither, for a probe definition that lists its own targets)." >&2
  exit 2
fi

IFS=',' read -r -a channels <<<"$NOTIFICATION_CHANNELS"
for channel in "${channels[@]}"; do
  if ! [[ "$channel" =~ ^projects/[a-z][a-z0-9-]{4,28}[a-z0-9]/notificationChannels/[0-9]+$ ]]; then
    echo "NOTIFICATION_CHANNELS: '$channel' is not a channel id (projects/PROJECT/notificationChannels/NUMBER)." >&2
    exit 2
  fi
done
if [[ "$RUNBOOK_URL" != https://* ]]; then
  echo "RUNBOOK_URL must be an https:// URL." >&2
  exit 2
fi

# The time budget of one task (scheduling/README.md, "Timing budget"; the same figures as
# terraform/job.tf's budget_around_deadline_ms), in ms: Node start 5 s, the collector's start 10 s (its
# startup probe's window), then after the probe's deadline triage 5 s, log lookup 4 s, clean-up 5 s, export
# flush 5 s, and a 10 s margin. Cloud Run kills a task at TASK_TIMEOUT: below the budget, a hanging staging
# would lose its verdict.
collector_start_ms=0
if [ "$EXPORT_TRACES" = true ]; then collector_start_ms=10000; fi
task_budget_ms=$((PROBE_TIMEOUT_MS + 5000 + collector_start_ms + 5000 + 4000 + 5000 + 5000 + 10000))
if ! [[ "$TASK_TIMEOUT" =~ ^[0-9]+s$ ]] || [ $((${TASK_TIMEOUT%s} * 1000)) -lt "$task_budget_ms" ]; then
  echo "TASK_TIMEOUT=$TASK_TIMEOUT is below the time budget of $((task_budget_ms / 1000)) s (PROBE_TIMEOUT_MS + start, triage, log lookup, clean-up, flush, margin); write it as seconds, e.g. 240s." >&2
  exit 2
fi
if [ "$AGENT_DEGRADED_MS" -ge "$AGENT_TIMEOUT_MS" ] || [ "$AGENT_TIMEOUT_MS" -ge "$PROBE_TIMEOUT_MS" ]; then
  echo "AGENT_DEGRADED_MS < AGENT_TIMEOUT_MS < PROBE_TIMEOUT_MS, please: the agent run is one hop of the whole run." >&2
  exit 2
fi

# Runs a command until it succeeds, at most 20 times 30 s apart: a log-based metric created a moment ago is
# unknown to Cloud Monitoring for up to 10 minutes (404 "Cannot find metric(s)"). `until` keeps set -e from
# ending the script on the failed tries.
retry() {
  local attempt=1
  until "$@"; do
    if [ "$attempt" -ge 20 ]; then
      echo "giving up after $attempt attempts: $*" >&2
      return 1
    fi
    echo "attempt $attempt failed, retrying in 30 s: $*" >&2
    attempt=$((attempt + 1))
    sleep 30
  done
}

RUNNER_SA="${JOB_NAME}-run@${PROJECT_ID}.iam.gserviceaccount.com"
SCHEDULER_SA="${JOB_NAME}-sched@${PROJECT_ID}.iam.gserviceaccount.com"
g() { gcloud --project "$PROJECT_ID" --quiet "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- 1. APIs --------------------------------------------------------------------------------------------
g services enable run.googleapis.com cloudscheduler.googleapis.com secretmanager.googleapis.com \
  iam.googleapis.com logging.googleapis.com monitoring.googleapis.com telemetry.googleapis.com cloudtrace.googleapis.com

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

# The collector sidecar writes spans to telemetry.googleapis.com as the job's account: the one trace role.
if [ "$EXPORT_TRACES" = true ]; then
  g projects add-iam-policy-binding "$PROJECT_ID" --member "serviceAccount:${RUNNER_SA}" \
    --role roles/telemetry.tracesWriter --condition None >/dev/null
fi
# Read-only views for the probe's drift checks, each on exactly what the checks read (terraform/iam.tf):
# run.viewer on the two Netra services; secretmanager.viewer (metadata, not values) on the secrets they
# reference; their ERROR entries routed to a bucket of their own and read through one view (a log view can
# filter on resource.type and LOG_ID only, not on a service name).
netra_errors_bucket="${JOB_NAME}-netra-errors"
netra_errors_view="projects/${PROJECT_ID}/locations/global/buckets/${netra_errors_bucket}/views/netra-errors"
if [ "$GRANT_DRIFT_CHECKS" = true ]; then
  referenced=()
  for svc in "$BACKEND_SERVICE" "$AUTH_SERVICE"; do
    g run services add-iam-policy-binding "$svc" --region "$REGION" \
      --member "serviceAccount:${RUNNER_SA}" --role roles/run.viewer >/dev/null
    if described=$(g run services describe "$svc" --region "$REGION" --format=json 2>/dev/null); then
      # `services describe` prints the v1 form: secretKeyRef.name is "The name of the secret in Cloud Secret Manager
      # ... If the secret is in another project, you must define an alias ... on the run.googleapis.com/secrets
      # annotation" (Cloud Run Admin API v1 SecretKeySelector): an alias is resolved to its projects/P/secrets/S,
      # which `gcloud secrets add-iam-policy-binding` takes ("ID of the secret or fully qualified identifier").
      while IFS= read -r secret; do referenced+=("$secret"); done < <(
        jq -r '(.spec.template.metadata.annotations["run.googleapis.com/secrets"] // ""
                | split(",") | map(select(length > 0) | split(":") | {key: .[0], value: (.[1:] | join(":"))})
                | from_entries) as $aliases
              | [.spec.template.spec.containers[]?.env[]?.valueFrom.secretKeyRef.name // empty | $aliases[.] // .]
              | unique[]' <<<"$described")
    else
      echo "warning: could not read service $svc; grant roles/secretmanager.viewer on its secrets by hand" >&2
    fi
  done
  if [ "${#referenced[@]}" -gt 0 ]; then
    for secret in $(printf '%s\n' "${referenced[@]}" | sort -u); do
      g secrets add-iam-policy-binding "$secret" \
        --member "serviceAccount:${RUNNER_SA}" --role roles/secretmanager.viewer >/dev/null
    done
  fi
  if ! g logging buckets describe "$netra_errors_bucket" --location global >/dev/null 2>&1; then
    g logging buckets create "$netra_errors_bucket" --location global --retention-days 7 \
      --description "ERROR entries of ${BACKEND_SERVICE} and ${AUTH_SERVICE}, for the golden-path probe's log lookup."
  fi
  # No grant to the sink's writer identity: the bucket is in the sink's own project ("If creating a log sink to
  # route logs to a destination outside of Cloud Logging or to a Cloud Logging log bucket in another project, the
  # log sink's service account must be granted permission", cloud.google.com/sdk/gcloud/reference/logging/sinks/create).
  sink_filter="resource.type=\"cloud_run_revision\" AND resource.labels.service_name=(\"${BACKEND_SERVICE}\" OR \"${AUTH_SERVICE}\") AND severity>=ERROR"
  sink_destination="logging.googleapis.com/projects/${PROJECT_ID}/locations/global/buckets/${netra_errors_bucket}"
  if g logging sinks describe "$netra_errors_bucket" >/dev/null 2>&1; then
    g logging sinks update "$netra_errors_bucket" "$sink_destination" --log-filter "$sink_filter"
  else
    g logging sinks create "$netra_errors_bucket" "$sink_destination" --log-filter "$sink_filter"
  fi
  if ! g logging views describe netra-errors --bucket "$netra_errors_bucket" --location global >/dev/null 2>&1; then
    g logging views create netra-errors --bucket "$netra_errors_bucket" --location global \
      --log-filter 'resource.type = "cloud_run_revision"' --description "The Netra services' ERROR entries, for the golden-path probe."
  fi
  g logging views add-iam-policy-binding netra-errors --bucket "$netra_errors_bucket" --location global \
    --member "serviceAccount:${RUNNER_SA}" --role roles/logging.viewAccessor >/dev/null
fi
# --compare-secret-values reads these secrets' values: only these.
IFS=',' read -r -a compare_secrets <<<"$COMPARE_SECRET_IDS"
for secret in "${compare_secrets[@]}"; do
  g secrets add-iam-policy-binding "$secret" \
    --member "serviceAccount:${RUNNER_SA}" --role roles/secretmanager.secretAccessor >/dev/null
done

# --- 3. The Cloud Run job -------------------------------------------------------------------------------
# Plain env goes through a file (JSON, which gcloud reads as YAML): values such as the trace template
# hold characters (&, ?, =) that --set-env-vars would need escaping for.
{
  if [ "$EXPORT_TRACES" = true ]; then
    printf '%s\n' OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf \
      OTEL_TRACES_EXPORTER=otlp OTEL_METRICS_EXPORTER=none \
      "PROBE_TRACE_URL_TEMPLATE=https://console.cloud.google.com/traces/list?project=${PROJECT_ID}&tid={traceId}"
  fi
  printf '%s\n' "PROBE_LOGIN=${LOGIN}" "GOOGLE_CLOUD_PROJECT=${PROJECT_ID}"
  if [ "$GRANT_DRIFT_CHECKS" = true ]; then
    printf '%s\n' "PROBE_GCP_PROJECT=${PROJECT_ID}" "PROBE_GCP_REGION=${REGION}" \
      "PROBE_BACKEND_SERVICE=${BACKEND_SERVICE}" "PROBE_AUTH_SERVICE=${AUTH_SERVICE}" \
      "PROBE_GCP_LOG_VIEW=${netra_errors_view}"
  fi
  if [ -n "$API_URL" ]; then echo "PROBE_API_URL=${API_URL}"; fi
  if [ -n "$AUTH_URL" ]; then echo "PROBE_AUTH_URL=${AUTH_URL}"; fi
  if [ -n "$WS_URL" ]; then echo "PROBE_WS_URL=${WS_URL}"; fi
  printf '%s\n' "$EXTRA_ENV"
} | jq -R -n '[inputs | select(length > 0) | capture("^(?<key>[^=]+)=(?<value>.*)$")] | from_entries' >"$work/env.json"

# The deadlines are always passed, never left to the probe's defaults: the budget above counts them.
args="run,--timeout-ms,${PROBE_TIMEOUT_MS},--agent-timeout-ms,${AGENT_TIMEOUT_MS},--agent-degraded-ms,${AGENT_DEGRADED_MS}"
if [ -n "$PROBE" ]; then args="${args},--probe,${PROBE}"; fi
if [ -n "$EXTRA_ARGS" ]; then args="${args},${EXTRA_ARGS}"; fi

# max-retries 0: one run is one observation, a retry would hide the failure the probe reports.
# Job-wide flags first; the flags after each --container apply to that container.
deploy_flags=(
  --region "$REGION" --service-account "$RUNNER_SA"
  --tasks "$TASK_COUNT" --parallelism "$TASK_COUNT" --max-retries 0 --task-timeout "$TASK_TIMEOUT"
  --labels app=golden-path-probe
  --container probe --image "$IMAGE" --args "$args" --cpu "$CPU" --memory "$MEMORY"
  --env-vars-file "$work/env.json" --set-secrets "$(IFS=','; echo "${set_secrets[*]}")"
)
if [ "$EXPORT_TRACES" = true ]; then
  # The collector's configuration travels in an env var (--config=env:...), so it needs no secret or volume.
  jq -n --rawfile config "$here/otel-collector/config.yaml" --arg project "$PROJECT_ID" \
    '{OTELCOL_CONFIG: $config, GOOGLE_CLOUD_PROJECT: $project}' >"$work/collector-env.json"
  # No --depends-on: a collector that does not start must not keep the probe from starting (its spans are
  # flushed at its end; an export that finds nobody listening is dropped within the flush bound).
  deploy_flags+=(
    --container otel-collector --image "$OTEL_COLLECTOR_IMAGE" --args=--config=env:OTELCOL_CONFIG
    --cpu 1 --memory 256Mi --env-vars-file "$work/collector-env.json"
    --startup-probe httpGet.port=13133,httpGet.path=/,periodSeconds=1,timeoutSeconds=1,failureThreshold=10
  )
fi
g run jobs deploy "$JOB_NAME" "${deploy_flags[@]}"

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


# --- 5. Log-based metrics from the probe's JSON lines (the same as scheduling/terraform/monitoring.tf) -----
# RUN_ABORTED (the probe was told to stop) is neither a failure nor a verdict on staging: left out.
job_logs_filter="resource.type=\"cloud_run_job\" resource.labels.job_name=\"${JOB_NAME}\" resource.labels.location=\"${REGION}\""
failed_runs_filter="${job_logs_filter} jsonPayload.result=\"fail\" NOT jsonPayload.verdict=\"RUN_ABORTED\""
concluded_runs_filter="${job_logs_filter} jsonPayload.result=(\"pass\" OR \"degraded\" OR \"fail\") NOT jsonPayload.verdict=\"RUN_ABORTED\""
jq -n --arg filter "$failed_runs_filter" '{
  description: "golden-path-probe runs whose result is fail (RUN_ABORTED left out), by verdict code, failed hop and target.",
  filter: $filter,
  metricDescriptor: {
    metricKind: "DELTA", valueType: "INT64", unit: "1",
    labels: [{key: "verdict", valueType: "STRING"}, {key: "failed_hop", valueType: "STRING"}, {key: "target", valueType: "STRING"}]
  },
  labelExtractors: {
    verdict: "EXTRACT(jsonPayload.verdict)", failed_hop: "EXTRACT(jsonPayload.failedHop)", target: "EXTRACT(jsonPayload.target)"
  }
}' >"$work/failed_runs.json"
jq -n --arg filter "$concluded_runs_filter" '{
  description: "golden-path-probe runs that reached a verdict, by result (pass, degraded, fail) and verdict code.",
  filter: $filter,
  metricDescriptor: {
    metricKind: "DELTA", valueType: "INT64", unit: "1",
    labels: [{key: "result", valueType: "STRING"}, {key: "verdict", valueType: "STRING"}]
  },
  labelExtractors: {result: "EXTRACT(jsonPayload.result)", verdict: "EXTRACT(jsonPayload.verdict)"}
}' >"$work/runs.json"
jq -n --arg filter "${job_logs_filter} jsonPayload.hop:* jsonPayload.durationMs>=0" '{
  description: "golden-path-probe hop durations in milliseconds, by hop and status.",
  filter: $filter,
  valueExtractor: "EXTRACT(jsonPayload.durationMs)",
  metricDescriptor: {
    metricKind: "DELTA", valueType: "DISTRIBUTION", unit: "ms",
    labels: [{key: "hop", valueType: "STRING"}, {key: "status", valueType: "STRING"}]
  },
  labelExtractors: {hop: "EXTRACT(jsonPayload.hop)", status: "EXTRACT(jsonPayload.status)"},
  bucketOptions: {exponentialBuckets: {numFiniteBuckets: 16, growthFactor: 2, scale: 1}}
}' >"$work/hop_latency.json"
# The job's own outcome when it carries no verdict (terraform/monitoring.tf no_verdict_filter): the probe's line
# on exit 2/3 and a run stopped by a signal. No Cloud Run line for a task stopped at its timeout: Google documents
# the stop (cloud.google.com/run/docs/configuring/task-timeout) but no log wording for it (scheduling/README.md).
no_verdict_filter="${job_logs_filter} (jsonPayload.outcome=\"no_verdict\" OR jsonPayload.verdict=\"RUN_ABORTED\")"
jq -n --arg filter "$no_verdict_filter" '{
  description: "golden-path-probe executions that ended without a verdict: exit 2 or 3, or stopped by a signal (RUN_ABORTED).",
  filter: $filter,
  metricDescriptor: {metricKind: "DELTA", valueType: "INT64", unit: "1", labels: [{key: "exit_code", valueType: "STRING"}]},
  labelExtractors: {exit_code: "EXTRACT(jsonPayload.exitCode)"}
}' >"$work/no_verdict.json"
for metric in failed_runs runs hop_latency no_verdict; do
  if g logging metrics describe "${JOB_NAME}/${metric}" >/dev/null 2>&1; then
    g logging metrics update "${JOB_NAME}/${metric}" --config-from-file "$work/${metric}.json"
  else
    g logging metrics create "${JOB_NAME}/${metric}" --config-from-file "$work/${metric}.json"
  fi
done

# --- 6. Alert policies: failing runs, silence, executions without a verdict, scheduler errors ----------
# Conditions on the log-based metrics are PromQL with disableMetricValidation (a fresh metric is unknown
# for minutes); retry() covers the API refusing anyway.
promql_failed_runs="{\"__name__\"=\"logging.googleapis.com/user/${JOB_NAME}/failed_runs\",\"monitored_resource\"=\"cloud_run_job\"}"
promql_runs="{\"__name__\"=\"logging.googleapis.com/user/${JOB_NAME}/runs\",\"monitored_resource\"=\"cloud_run_job\"}"
promql_no_verdict="{\"__name__\"=\"logging.googleapis.com/user/${JOB_NAME}/no_verdict\",\"monitored_resource\"=\"cloud_run_job\"}"
scheduler_errors_filter="resource.type=\"cloud_scheduler_job\" resource.labels.job_id=\"${JOB_NAME}-trigger\" resource.labels.location=\"${REGION}\" severity>=ERROR"
w="${ALERT_WINDOW_SECONDS}s"

default_strategy='{"autoClose": "1800s"}'
# policy NAME DISPLAY_NAME SEVERITY CONDITION_JSON DOC_TEXT [ALERT_STRATEGY_JSON]
policy() {
  jq -n --arg name "$2" --arg severity "$3" --argjson condition "$4" --arg doc "$5" \
    --argjson strategy "${6:-$default_strategy}" --arg channels "$NOTIFICATION_CHANNELS" --arg runbook "$RUNBOOK_URL" '{
    displayName: $name, combiner: "OR", severity: $severity,
    notificationChannels: ($channels | split(",") | map(select(length > 0))),
    conditions: [$condition], alertStrategy: $strategy,
    documentation: {mimeType: "text/markdown", subject: $name, content: "\($doc) [Runbook](\($runbook))",
      links: [{displayName: "Runbook", url: $runbook}]}
  }' >"$work/policy-$1.json"
}
promql() {
  jq -n --arg name "$1" --arg query "$2" --arg duration "$3" \
    '{displayName: $name, conditionPrometheusQueryLanguage: {query: $query, duration: $duration, evaluationInterval: "60s", disableMetricValidation: true}}'
}
policy failing "golden-path-probe: golden path failing (${JOB_NAME})" CRITICAL \
  "$(promql "more than ${ALERT_FAILED_RUNS_THRESHOLD} failed runs in ${w}" \
    "sum(increase(${promql_failed_runs}[${w}])) > ${ALERT_FAILED_RUNS_THRESHOLD}" 0s)" \
  "The golden-path probe (Cloud Run job \`${JOB_NAME}\`) failed more than ${ALERT_FAILED_RUNS_THRESHOLD} runs in ${w}. Each failed run's summary line names the **verdict** and the **failedHop**, and links the run's trace. Logs Explorer: \`${failed_runs_filter}\`"
policy silent "golden-path-probe: no runs reported (${JOB_NAME})" CRITICAL \
  "$(promql "no probe run summary for ${ALERT_SILENCE_SECONDS}s" "absent_over_time(${promql_runs}[${ALERT_SILENCE_SECONDS}s])" 300s)" \
  "The golden-path probe \`${JOB_NAME}\` has reported no verdict for ${ALERT_SILENCE_SECONDS}s (or never has): nothing is watching staging. Check the scheduler job \`${JOB_NAME}-trigger\`, the job's executions (exit code 2 = configuration error, 3 = probe bug) and their stderr."
policy executions "golden-path-probe: executions failing without a verdict (${JOB_NAME})" ERROR \
  "$(promql "more than ${ALERT_FAILED_EXECUTIONS_THRESHOLD} runs without a verdict in ${w}" \
    "sum(increase(${promql_no_verdict}[${w}])) > ${ALERT_FAILED_EXECUTIONS_THRESHOLD}" 0s)" \
  "Executions of \`${JOB_NAME}\` end without the probe reporting a verdict (exit 2 = configuration, 3 = probe bug, or stopped by a signal). A task stopped at its task timeout writes no line counted here; the no-runs alert covers a timeout that repeats. Logs Explorer: \`${no_verdict_filter}\`; gcloud run jobs executions list --job ${JOB_NAME} --region ${REGION}"
policy scheduler "golden-path-probe: scheduler cannot start the job (${JOB_NAME})" ERROR \
  "$(jq -n --arg filter "$scheduler_errors_filter" '{displayName: "Cloud Scheduler logged an error", conditionMatchedLog: {filter: $filter}}')" \
  "Cloud Scheduler failed to start \`${JOB_NAME}\` (lost roles/run.invoker: 403; job missing: 404). Logs Explorer: \`${scheduler_errors_filter}\`" \
  '{"notificationRateLimit": {"period": "300s"}, "autoClose": "1800s"}'
for p in failing silent executions scheduler; do
  name=$(jq -r .displayName "$work/policy-${p}.json")
  existing=$(g alpha monitoring policies list --filter "displayName=\"${name}\"" --format 'value(name)' | head -n 1)
  if [ -n "$existing" ]; then
    retry g alpha monitoring policies update "$existing" --policy-from-file "$work/policy-${p}.json"
  else
    retry g alpha monitoring policies create --policy-from-file "$work/policy-${p}.json"
  fi
done

# --- 7. Dashboard: pass rate, failed runs by verdict, failed executions, hop latencies, last verdicts -----
jq -Rs --arg job "$JOB_NAME" --arg region "$REGION" --arg filter "$concluded_runs_filter" '
  gsub("\\$\\{job_name\\}"; $job) | gsub("\\$\\{region\\}"; $region)
  | gsub("\\$\\{runs_metric\\}"; "\($job)/runs") | gsub("\\$\\{failed_runs_metric\\}"; "\($job)/failed_runs")
  | gsub("\\$\\{hop_latency_metric\\}"; "\($job)/hop_latency")
  | gsub("\\$\\{concluded_runs_filter\\}"; ($filter | tojson)) | fromjson' \
  "$here/dashboard.json.tftpl" >"$work/dashboard.json"
dashboard=$(g monitoring dashboards list --filter "displayName=\"golden-path-probe (${JOB_NAME})\"" --format 'value(name)' | head -n 1)
if [ -n "$dashboard" ]; then
  etag=$(g monitoring dashboards describe "$dashboard" --format 'value(etag)')
  jq --arg etag "$etag" '. + {etag: $etag}' "$work/dashboard.json" >"$work/dashboard-update.json"
  g monitoring dashboards update "$dashboard" --config-from-file "$work/dashboard-update.json"
else
  g monitoring dashboards create --config-from-file "$work/dashboard.json"
fi

echo "Deployed. Run once now and wait for the verdict:"
echo "  gcloud run jobs execute ${JOB_NAME} --project ${PROJECT_ID} --region ${REGION} --wait"
