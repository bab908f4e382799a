import { deleteProfile, updateProfile } from "@/lib/access/profiles";
import { expectedVersion, versionEtag } from "@/lib/api/etag";
import * as profiles from "@/lib/api/resources/profiles";
import { apiRoute } from "@/lib/api/route";

// Profiles live on the account: the service checks profile.manage there.
export const PATCH = apiRoute(profiles.update, {}, async (ctx, { params, body, request }) => {
  const profile = await updateProfile(ctx, { ...body, roleId: params.id, expectedVersion: expectedVersion(request) });
  return { body: profile, etag: versionEtag(profile) };
});

export const DELETE = apiRoute(profiles.remove, {}, async (ctx, { params }) => {
  await deleteProfile(ctx, { roleId: params.id });
  return { body: null };
});
