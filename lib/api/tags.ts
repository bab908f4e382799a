/** The sections of the API reference: every operation names one, and the document describes each. */
export const API_TAGS = {
  Authentication: "Exchange an API client's credentials for a bearer token valid an hour.",
  Me: "The calling client: who it is and the roles it holds.",
  Nodes: "The tenant tree: list and read the nodes you may see; create, rename and retag, move (with a preview of who gains and loses access), archive and restore.",
  Access:
    "Who has access to a node and through which assignments, the role assignments held on a node, one assignment, and giving, changing and removing them under the grant rules.",
  Members:
    "The users and API clients of a node with the portal's filters, sorts and keyset paging; one member with the roles you may see; sign-out everywhere, password and second-factor resets.",
  Invitations: "Invite an email address to a role on a node; list, resend and withdraw invitations.",
  Capabilities: "The services a node may use: what is in force, set with an expiry, removed.",
  Roles: "Every role you can assign, with its id and permissions: the built-in Owner, Manager and Viewer, and the account's custom profiles.",
  "Permission profiles": "The account's custom roles: read by whoever may read members or manage profiles, defined and changed with profile.manage.",
  Audit: "A subtree's audit trail, newest first.",
  Authorization: "May a principal use a permission on a node, and which assignment grants it, or why not.",
  "API clients": "Clients for automation on a node: create with a role, read, rotate the secret, disable.",
  Consumption:
    "FortiFlex-style consumption: an organization's configurations and entitlements (create, lifecycle), daily usage import, the dashboard's series, top consumers and month summary, budgets and their alerts.",
  Billing: "The account's program (point price, currency, billing day), its product catalog, and the monthly consolidated statement.",
} as const;

export type ApiTag = keyof typeof API_TAGS;
