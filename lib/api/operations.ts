import type { Operation } from "./operation";
import * as access from "./resources/access";
import * as apiClients from "./resources/api-clients";
import * as authz from "./resources/authz";
import * as me from "./resources/me";
import * as nodes from "./resources/nodes";

/** Every operation under /api/v1 that the wrapper serves, in the order the reference lists them. */
export const OPERATIONS: readonly Operation[] = [
  me.get,
  nodes.list,
  nodes.get,
  nodes.create,
  nodes.update,
  nodes.move,
  nodes.archive,
  nodes.restore,
  access.whoHasAccess,
  access.assign,
  access.change,
  access.revoke,
  authz.check,
  authz.explain,
  apiClients.list,
  apiClients.create,
  apiClients.rotate,
  apiClients.disable,
];
