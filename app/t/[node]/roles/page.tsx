import type { Metadata } from "next";
import Link from "next/link";
import { groupByArea } from "@/lib/access/permission-areas";
import { listCustomProfiles } from "@/lib/access/profile-read";
import { BUILTIN_ROLES } from "@/lib/authz";
import { loadRolesContext } from "./access";
import { PermissionList } from "./permission-list";

export const metadata: Metadata = { title: "Roles and profiles" };

export default async function RolesPage({ params }: { params: Promise<{ node: string }> }) {
  const { db, authz, node, mayView, mayManage } = await loadRolesContext((await params).node);
  if (!mayView) return <p className="text-slate-700 dark:text-slate-300">You may not see the roles used in {node.name}.</p>;
  const profiles = await listCustomProfiles(db, authz);
  const base = `/t/${node.slug}/roles`;
  return (
    <div className="max-w-5xl space-y-10">
      <header className="space-y-1">
        <h1 className="text-2xl font-semibold">Roles and profiles</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          A role applies to the node it is assigned on and everything below it. Built-in roles are fixed; custom profiles are defined on the account and usable anywhere in it.
        </p>
      </header>

      <section aria-labelledby="builtin-heading" className="space-y-4">
        <h2 id="builtin-heading" className="text-lg font-semibold">
          Built-in roles
        </h2>
        {BUILTIN_ROLES.map((role) => (
          <details key={role.key} className="rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
            <summary className="cursor-pointer">
              <span className="font-semibold">{role.name}</span>
              <span className="ml-2 text-sm text-slate-600 dark:text-slate-400">
                {role.description} {role.permissions.length} permissions.
              </span>
            </summary>
            <div className="mt-3">
              <PermissionList areas={groupByArea(role.permissions)} label={`Permissions of ${role.name}`} />
            </div>
          </details>
        ))}
      </section>

      <section aria-labelledby="custom-heading" className="space-y-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="custom-heading" className="text-lg font-semibold">
            Custom profiles
          </h2>
          {mayManage ? (
            <Link href={`${base}/new`} className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-800">
              New profile
            </Link>
          ) : null}
        </div>
        {profiles.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">The account has no custom profiles yet.</p>
        ) : (
          <table aria-labelledby="custom-heading" className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
              <tr>
                <th className="py-2 pr-4 font-medium">Profile</th>
                <th className="py-2 pr-4 font-medium">Permissions</th>
                <th className="py-2 font-medium">Where it is used</th>
              </tr>
            </thead>
            <tbody>
              {profiles.map((profile) => (
                <tr key={profile.id} className="border-b border-slate-100 align-top dark:border-slate-800">
                  <td className="py-2 pr-4">
                    <Link href={`${base}/${profile.id}`} className="font-medium text-brand-700 underline dark:text-brand-500">
                      {profile.name}
                    </Link>
                    {profile.description ? <p className="text-xs text-slate-600 dark:text-slate-400">{profile.description}</p> : null}
                  </td>
                  <td className="py-2 pr-4">{profile.permissions.length}</td>
                  <td className="py-2">
                    <UsageSummary assignments={profile.assignments} nodes={profile.usedOn.map((use) => use.nodeName)} ssoRules={profile.ssoRules} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function UsageSummary({ assignments, nodes, ssoRules }: { assignments: number; nodes: string[]; ssoRules: number }) {
  if (assignments === 0 && ssoRules === 0) return <span className="text-slate-600 dark:text-slate-400">Not used</span>;
  const parts = [`${assignments} assignment${assignments === 1 ? "" : "s"}`];
  if (nodes.length > 0) parts.push(`on ${nodes.join(", ")}`);
  if (ssoRules > 0) parts.push(`${ssoRules} single sign-on rule${ssoRules === 1 ? "" : "s"}`);
  return <span>{parts.join(" ")}</span>;
}
