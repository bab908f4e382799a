import { readApiClient } from "@/lib/api-clients/service";
import * as apiClients from "@/lib/api/resources/api-clients";
import { apiRoute } from "@/lib/api/route";

// The client's home node is known once it is loaded: the service checks apiclient.manage there.
export const GET = apiRoute(apiClients.get, {}, async (ctx, { params }) => ({
  body: await readApiClient(ctx, { apiClientId: params.id }),
}));
