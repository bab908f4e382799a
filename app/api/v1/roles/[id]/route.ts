import { readRole } from "@/lib/access/profile-read";
import * as roles from "@/lib/api/resources/roles";
import { apiRoute } from "@/lib/api/route";

// Roles are seen from a node, like the portal's roles page: the service checks member.read or
// profile.manage there.
export const GET = apiRoute(roles.get, {}, async (ctx, { params, query }) => ({ body: await readRole(ctx, params.id, query) }));
