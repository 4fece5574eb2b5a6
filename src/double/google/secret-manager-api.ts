// Secret Manager v1: list a secret's versions (newest first), get one (`latest` is an alias), and
// `:access` one (the value, base64, only with secretAccessor).
import type { RouteHandler } from '../http/listener.ts';
import { sendJson } from '../http/send.ts';
import { admit, type GoogleAccess, sendGoogleError } from './google-errors.ts';
import type { FakeSecretVersion, GoogleModel } from './google-model.ts';

export function secretManagerRoutes(
  model: GoogleModel,
  access: GoogleAccess,
): { list: RouteHandler; version: RouteHandler } {
  const versionBody = (secret: string, v: FakeSecretVersion) => ({
    name: `projects/${model.project}/secrets/${secret}/versions/${v.number}`,
    createTime: v.createTime,
    state: v.state,
    replicationStatus: { automatic: {} },
    etag: `"${v.number}"`,
  });
  const lookup = (params: Record<string, string>) =>
    params.project === model.project ? model.secrets.get(params.secret ?? '') : undefined;
  const secretMissing = (params: Record<string, string>) =>
    `Secret [projects/${params.project}/secrets/${params.secret}] not found or has no versions.`;

  return {
    list: ({ req, res, params }) => {
      const resource = `projects/${params.project}/secrets/${params.secret}`;
      if (!admit(req, res, access, 'roles/secretmanager.viewer', 'secretmanager.versions.list', resource)) return;
      const versions = lookup(params);
      if (!versions) return sendGoogleError(res, 404, secretMissing(params));
      sendJson(res, 200, { versions: versions.map((v) => versionBody(params.secret!, v)), totalSize: versions.length });
    },
    version: ({ req, res, params }) => {
      const raw = params.version ?? '';
      const accessing = raw.endsWith(':access');
      const wanted = accessing ? raw.slice(0, -':access'.length) : raw;
      const resource = `projects/${params.project}/secrets/${params.secret}/versions/${wanted}`;
      const role = accessing ? 'roles/secretmanager.secretAccessor' : 'roles/secretmanager.viewer';
      if (
        !admit(
          req,
          res,
          access,
          role,
          accessing ? 'secretmanager.versions.access' : 'secretmanager.versions.get',
          resource,
        )
      )
        return;
      const versions = lookup(params);
      const v = wanted === 'latest' ? versions?.[0] : versions?.find((x) => String(x.number) === wanted);
      if (!v) return sendGoogleError(res, 404, `Secret Version [${resource}] not found.`);
      if (!accessing) return sendJson(res, 200, versionBody(params.secret!, v));
      if (v.state !== 'ENABLED')
        return sendGoogleError(res, 400, `Secret Version [${resource}] is in ${v.state} state.`);
      sendJson(res, 200, { name: resource, payload: { data: Buffer.from(v.value, 'utf8').toString('base64') } });
    },
  };
}
