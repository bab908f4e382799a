import Link from "next/link";
import { mayViewRoles } from "@/lib/access/profile-read";
import { can, type NodeRef } from "@/lib/authz";
import { loadTreeNode } from "@/lib/authz/queries";
import { mayManageProvider } from "@/lib/idp/service";
import type { ServiceContext } from "@/lib/service-context";
import { ArborMark } from "../arbor-mark";
import { NavLink } from "../nav-link";

/**
 * The sections of the node in the URL that the principal may use. Hiding a link is a courtesy: every
 * page checks again on the server.
 */
export async function SidebarNav({ ctx, node }: { ctx: ServiceContext; node: NodeRef & { slug: string; kind: string } }) {
  const base = `/t/${node.slug}`;
  const showSso = node.kind === "account" && (await mayManageProvider(ctx));
  // apiclient.manage needs the api capability: decided on the node with its effective capabilities.
  const withCapabilities = await loadTreeNode(ctx.db, ctx.authz.principal.accountId, { id: node.id }, ctx.authz.now);
  const showApiClients = withCapabilities !== null && can(ctx.authz, "apiclient.manage", withCapabilities);
  // Consumption and billing need the flex capability too; the statement and program are the account's.
  const showConsumption = withCapabilities !== null && can(ctx.authz, "consumption.read", withCapabilities);
  const showBilling = withCapabilities !== null && node.kind === "account" && can(ctx.authz, "billing.read", withCapabilities);
  return (
    <>
      <Link href="/" className="block px-2">
        <ArborMark className="text-lg" />
      </Link>
      <nav aria-label="Sections" className="mt-6">
        <ul className="space-y-1">
          <li>
            <NavLink href={base} exact>
              Overview
            </NavLink>
          </li>
          <li>
            <NavLink href={`${base}/tree`}>Tenant tree</NavLink>
          </li>
          {can(ctx.authz, "member.read", node) ? (
            <li>
              <NavLink href={`${base}/members`}>Members</NavLink>
            </li>
          ) : null}
          {mayViewRoles(ctx.authz, node) ? (
            <li>
              <NavLink href={`${base}/roles`}>Roles and profiles</NavLink>
            </li>
          ) : null}
          <li>
            <NavLink href={`${base}/capabilities`}>Capabilities</NavLink>
          </li>
          {showConsumption ? (
            <li>
              <NavLink href={`${base}/consumption`}>Consumption</NavLink>
            </li>
          ) : null}
          {showBilling ? (
            <li>
              <NavLink href={`${base}/billing`}>Billing</NavLink>
            </li>
          ) : null}
          {can(ctx.authz, "audit.read", node) ? (
            <li>
              <NavLink href={`${base}/audit`}>Audit log</NavLink>
            </li>
          ) : null}
          {showSso || showApiClients ? (
            <li className="pt-4">
              <p id="settings-heading" className="px-2 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
                Settings
              </p>
              <ul aria-labelledby="settings-heading" className="space-y-1">
                {showSso ? (
                  <li>
                    <NavLink href={`${base}/settings/sso`}>Single sign-on</NavLink>
                  </li>
                ) : null}
                {showApiClients ? (
                  <li>
                    <NavLink href={`${base}/settings/api-clients`}>API clients</NavLink>
                  </li>
                ) : null}
              </ul>
            </li>
          ) : null}
        </ul>
      </nav>
    </>
  );
}
