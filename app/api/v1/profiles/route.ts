import { createProfile } from "@/lib/access/profiles";
import * as profiles from "@/lib/api/resources/profiles";
import { apiRoute } from "@/lib/api/route";

// Profiles live on the account: the service checks profile.manage there.
export const POST = apiRoute(profiles.create, {}, async (ctx, { body }) => ({ body: await createProfile(ctx, body) }));
