import { deleteProfile, updateProfile } from "@/lib/access/profiles";
import { readProfile } from "@/lib/access/profile-read";
import { expectedVersion, versionEtag } from "@/lib/api/etag";
import * as profiles from "@/lib/api/resources/profiles";
import { apiRoute } from "@/lib/api/route";

// Profiles live on the account: the services check there (profile.manage to change them; member.read
// or profile.manage on the node looked from to read them).
export const GET = apiRoute(profiles.get, {}, async (ctx, { params, query }) => {
  const profile = await readProfile(ctx, params.id, query);
  return { body: { ...profile, builtin: false }, etag: versionEtag(profile) };
});

export const PATCH = apiRoute(profiles.update, {}, async (ctx, { params, body, request }) => {
  const profile = await updateProfile(ctx, { ...body, roleId: params.id, expectedVersion: expectedVersion(request) });
  return { body: profile, etag: versionEtag(profile) };
});

export const DELETE = apiRoute(profiles.remove, {}, async (ctx, { params }) => {
  await deleteProfile(ctx, { roleId: params.id });
  return { body: null };
});
