import Link from "next/link";
import { getRequestContext } from "@/lib/auth/request-context";
import type { AuthPrincipal } from "@/lib/authz";
import { mayManageProvider } from "@/lib/idp/service";
import type { TenantNode } from "@/lib/tenants/read";
import { ArborMark } from "./arbor-mark";
import { Breadcrumbs } from "./breadcrumbs";
import { NavLink } from "./nav-link";
import { SignOutButton } from "./sign-out-button";

/** The portal frame: navigation for the node in the URL, its breadcrumbs, and the signed-in principal. */
export function AppShell(props: { node: TenantNode; ancestors: TenantNode[]; principal: AuthPrincipal; children: React.ReactNode }) {
  const base = `/t/${props.node.slug}`;
  return (
    <div className="flex min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <aside className="hidden w-60 shrink-0 border-r border-slate-200 bg-white px-3 py-4 md:block dark:border-slate-800 dark:bg-slate-900">
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
            <li>
              <NavLink href={`${base}/members`}>Members</NavLink>
            </li>
            <li>
              <NavLink href={`${base}/audit`}>Audit log</NavLink>
            </li>
            {props.node.kind === "account" ? <SingleSignOnLink base={base} /> : null}
          </ul>
        </nav>
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center justify-between gap-4 border-b border-slate-200 bg-white px-6 py-3 dark:border-slate-800 dark:bg-slate-900">
          <Breadcrumbs ancestors={props.ancestors} node={props.node} />
          <div className="flex items-center gap-3">
            <span className="text-sm text-slate-600 dark:text-slate-400">{props.principal.name}</span>
            <SignOutButton />
          </div>
        </header>
        <main id="main" className="flex-1 px-6 py-6">
          {props.children}
        </main>
      </div>
    </div>
  );
}

/** Settings › Single sign-on, for who may manage the account's IdP; the page itself refuses anyone else. */
async function SingleSignOnLink({ base }: { base: string }) {
  const context = await getRequestContext();
  if (!context || !(await mayManageProvider(context))) return null;
  return (
    <li className="pt-4">
      <p className="px-2 pb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">Settings</p>
      <NavLink href={`${base}/settings/sso`}>Single sign-on</NavLink>
    </li>
  );
}
