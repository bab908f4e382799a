import { expectedVersion, versionEtag } from "@/lib/api/etag";
import * as resource from "@/lib/api/resources/consumption-entitlements";
import { apiRoute } from "@/lib/api/route";
import { readConfiguration, updateConfiguration } from "@/lib/consumption/configurations";

// The owner is known once the configuration is loaded: the service checks the permission there.
export const GET = apiRoute(resource.getConfiguration, {}, async (ctx, { params }) => {
  const configuration = await readConfiguration(ctx, { configurationId: params.id });
  return { body: configuration, etag: versionEtag(configuration) };
});

export const PATCH = apiRoute(resource.updateConfiguration, {}, async (ctx, { params, body, request }) => {
  const configuration = await updateConfiguration(ctx, { ...body, configurationId: params.id, expectedVersion: expectedVersion(request) });
  return { body: configuration, etag: versionEtag(configuration) };
});
