import { readRoles } from "@/lib/access/profile-read";
import * as roles from "@/lib/api/resources/roles";
import { apiRoute } from "@/lib/api/route";

// Roles are seen from a node, like the portal's roles page: the service checks member.read or
// profile.manage there.
export const GET = apiRoute(roles.list, {}, async (ctx, { query }) => ({ body: { items: await readRoles(ctx, query) } }));
