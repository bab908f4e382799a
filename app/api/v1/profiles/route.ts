import { createProfile } from "@/lib/access/profiles";
import { readProfiles } from "@/lib/access/profile-read";
import { versionEtag } from "@/lib/api/etag";
import * as profiles from "@/lib/api/resources/profiles";
import { apiRoute } from "@/lib/api/route";

// Profiles live on the account: the services check there (profile.manage to change them; member.read
// or profile.manage on the node looked from to read them).
export const GET = apiRoute(profiles.list, {}, async (ctx, { query }) => {
  const items = await readProfiles(ctx, query);
  return { body: { items: items.map((profile) => ({ ...profile, builtin: false })) } };
});

export const POST = apiRoute(profiles.create, {}, async (ctx, { body }) => {
  const profile = await createProfile(ctx, body);
  return { body: profile, etag: versionEtag(profile) };
});
