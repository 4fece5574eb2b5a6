// Cloud Run Admin API v2, read-only: GET a service (traffic, trafficStatuses, latestReadyRevision,
// template) and GET one of its revisions (createTime, containers[].env[]).
import type { RouteHandler } from '../http/listener.ts';
import { sendJson } from '../http/send.ts';
import { admit, type GoogleAccess, sendGoogleError } from './google-errors.ts';
import type { FakeService, GoogleModel } from './google-model.ts';

function servicePath(model: GoogleModel, name: string): string {
  return `projects/${model.project}/locations/${model.region}/services/${name}`;
}

function serviceBody(model: GoogleModel, svc: FakeService) {
  const path = servicePath(model, svc.name);
  return {
    name: path,
    uid: `uid-${svc.name}`,
    generation: '42',
    createTime: '2025-09-01T00:00:00.000000Z',
    updateTime: svc.revision.createTime,
    ingress: 'INGRESS_TRAFFIC_ALL',
    launchStage: 'GA',
    template: {
      containers: [{ image: `us-docker.pkg.dev/${model.project}/netra/${svc.name}:latest`, env: svc.revision.env }],
    },
    traffic: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }],
    trafficStatuses: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', revision: svc.revision.name, percent: 100 }],
    latestReadyRevision: `${path}/revisions/${svc.revision.name}`,
    latestCreatedRevision: `${path}/revisions/${svc.revision.name}`,
    uri: svc.uri,
    urls: [svc.uri],
    reconciling: false,
  };
}

export function cloudRunRoutes(
  model: GoogleModel,
  access: GoogleAccess,
): { service: RouteHandler; revision: RouteHandler } {
  const locate = (params: Record<string, string>) => {
    if (params.project !== model.project || params.location !== model.region) return undefined;
    return model.services.get(params.service ?? '');
  };
  const notFound = (params: Record<string, string>) =>
    `Resource '${params.service}' of kind 'SERVICE' in region '${params.location}' in project '${params.project}' ` +
    `does not exist.`;
  return {
    service: ({ req, res, params }) => {
      const resource = `projects/${params.project}/locations/${params.location}/services/${params.service}`;
      if (!admit(req, res, access, 'roles/run.viewer', 'run.services.get', resource)) return;
      const svc = locate(params);
      if (!svc) return sendGoogleError(res, 404, notFound(params));
      sendJson(res, 200, serviceBody(model, svc));
    },
    revision: ({ req, res, params }) => {
      const resource = `projects/${params.project}/locations/${params.location}/services/${params.service}/revisions/${params.revision}`;
      if (!admit(req, res, access, 'roles/run.viewer', 'run.revisions.get', resource)) return;
      const svc = locate(params);
      if (!svc) return sendGoogleError(res, 404, notFound(params));
      if (params.revision !== svc.revision.name) {
        return sendGoogleError(
          res,
          404,
          `Resource '${params.revision}' of kind 'REVISION' in region '${model.region}' in project ` +
            `'${model.project}' does not exist.`,
        );
      }
      const path = servicePath(model, svc.name);
      sendJson(res, 200, {
        name: `${path}/revisions/${svc.revision.name}`,
        uid: `uid-${svc.revision.name}`,
        generation: '1',
        createTime: svc.revision.createTime,
        updateTime: svc.revision.createTime,
        service: svc.name,
        containers: [{ image: `us-docker.pkg.dev/${model.project}/netra/${svc.name}:latest`, env: svc.revision.env }],
        conditions: [{ type: 'Ready', state: 'CONDITION_SUCCEEDED' }],
      });
    },
  };
}
