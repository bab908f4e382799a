import type { Operation } from "./operation";
import * as access from "./resources/access";
import * as apiClients from "./resources/api-clients";
import * as audit from "./resources/audit";
import * as authz from "./resources/authz";
import * as capabilities from "./resources/capabilities";
import * as billing from "./resources/consumption-billing";
import * as entitlements from "./resources/consumption-entitlements";
import * as consumption from "./resources/consumption-reads";
import * as invitations from "./resources/invitations";
import * as me from "./resources/me";
import * as members from "./resources/members";
import * as nodes from "./resources/nodes";
import * as profiles from "./resources/profiles";
import * as roles from "./resources/roles";

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
  access.listAssignments,
  access.getAssignment,
  access.assign,
  access.change,
  access.revoke,
  members.list,
  members.get,
  members.signOutEverywhere,
  members.passwordReset,
  members.secondFactorReset,
  invitations.list,
  invitations.invite,
  invitations.revoke,
  invitations.resend,
  capabilities.list,
  capabilities.set,
  capabilities.remove,
  roles.list,
  roles.get,
  profiles.list,
  profiles.get,
  profiles.create,
  profiles.update,
  profiles.remove,
  audit.list,
  authz.check,
  authz.explain,
  apiClients.list,
  apiClients.get,
  apiClients.create,
  apiClients.rotate,
  apiClients.disable,
  entitlements.listConfigurations,
  entitlements.getConfiguration,
  entitlements.createConfiguration,
  entitlements.updateConfiguration,
  entitlements.listEntitlements,
  entitlements.getEntitlement,
  entitlements.createEntitlements,
  entitlements.activateEntitlement,
  entitlements.stopEntitlement,
  entitlements.reactivateEntitlement,
  entitlements.expireEntitlement,
  consumption.recordUsage,
  consumption.importUsageCsv,
  consumption.series,
  consumption.topConsumers,
  consumption.monthSummary,
  consumption.alerts,
  consumption.listBudgets,
  consumption.setBudget,
  consumption.removeBudget,
  billing.getProgram,
  billing.setProgram,
  billing.listProducts,
  billing.statement,
  billing.statementPeriods,
];
