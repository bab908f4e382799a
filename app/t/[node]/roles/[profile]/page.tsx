import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ActionButton } from "@/components/action-button";
import { groupByArea } from "@/lib/access/permission-areas";
import { findCustomProfile } from "@/lib/access/profile-read";
import { deleteProfileAction, updateProfileAction } from "../actions";
import { loadRolesContext } from "../access";
import { PermissionList } from "../permission-list";
import { ProfileForm } from "../profile-form";

export const metadata: Metadata = { title: "Permission profile" };

export default async function ProfilePage({ params }: { params: Promise<{ node: string; profile: string }> }) {
  const { node: slug, profile: profileId } = await params;
  const { db, authz, node, mayView, mayManage, heldOnAccount } = await loadRolesContext(slug);
  if (!mayView || !z.uuid().safeParse(profileId).success) notFound();
  const profile = await findCustomProfile(db, authz, profileId);
  if (!profile) notFound();
  const hiddenAssignments = profile.assignments - profile.usedOn.reduce((sum, use) => sum + use.assignments, 0);
  return (
    <div className="max-w-5xl space-y-8">
      <header className="space-y-1">
        <Link href={`/t/${node.slug}/roles`} className="text-sm text-brand-700 underline dark:text-brand-500">
          Roles and profiles
        </Link>
        <h1 className="text-2xl font-semibold">{profile.name}</h1>
        {profile.description ? <p className="text-sm text-slate-600 dark:text-slate-400">{profile.description}</p> : null}
      </header>

      <section aria-labelledby="usage-heading" className="space-y-2">
        <h2 id="usage-heading" className="text-lg font-semibold">
          Where it is used
        </h2>
        {profile.assignments === 0 && profile.ssoRules === 0 ? <p className="text-sm text-slate-600 dark:text-slate-400">Nobody holds this profile.</p> : null}
        {profile.usedOn.length > 0 ? (
          <ul aria-labelledby="usage-heading" className="list-inside list-disc text-sm">
            {profile.usedOn.map((use) => (
              <li key={use.nodeId}>
                <Link href={`/t/${use.nodeSlug}/members`} className="text-brand-700 underline dark:text-brand-500">
                  {use.nodeName}
                </Link>
                : {use.assignments} assignment{use.assignments === 1 ? "" : "s"}
              </li>
            ))}
          </ul>
        ) : null}
        {hiddenAssignments > 0 ? <p className="text-sm">{hiddenAssignments} more assignment(s) on nodes you may not see.</p> : null}
        {profile.ssoRules > 0 ? <p className="text-sm">Given by {profile.ssoRules} single sign-on rule(s).</p> : null}
      </section>

      {mayManage ? (
        <>
          <section aria-labelledby="edit-heading" className="space-y-3">
            <h2 id="edit-heading" className="text-lg font-semibold">
              Edit
            </h2>
            <ProfileForm
              action={updateProfileAction}
              slug={node.slug}
              areas={groupByArea()}
              held={[...heldOnAccount]}
              saved={profile}
              submitLabel="Save profile"
            />
          </section>
          <section aria-labelledby="delete-heading" className="space-y-2">
            <h2 id="delete-heading" className="text-lg font-semibold">
              Delete
            </h2>
            <p className="text-sm text-slate-600 dark:text-slate-400">A profile still assigned or given by single sign-on cannot be deleted.</p>
            <ActionButton action={deleteProfileAction} fields={{ roleId: profile.id, slug: node.slug }} label="Delete profile" pendingLabel="Deleting…" tone="danger" />
          </section>
        </>
      ) : (
        <section aria-labelledby="permissions-heading" className="space-y-3">
          <h2 id="permissions-heading" className="text-lg font-semibold">
            Permissions
          </h2>
          <PermissionList areas={groupByArea(profile.permissions)} label={`Permissions of ${profile.name}`} />
        </section>
      )}
    </div>
  );
}
