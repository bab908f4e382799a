import type { Metadata } from "next";
import Link from "next/link";
import { groupByArea } from "@/lib/access/permission-areas";
import { createProfileAction } from "../actions";
import { requireProfileManager } from "../access";
import { ProfileForm } from "../profile-form";

export const metadata: Metadata = { title: "New permission profile" };

export default async function NewProfilePage({ params }: { params: Promise<{ node: string }> }) {
  const { node, heldOnAccount } = await requireProfileManager((await params).node);
  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <Link href={`/t/${node.slug}/roles`} className="text-sm text-brand-700 underline dark:text-brand-500">
          Roles and profiles
        </Link>
        <h1 className="text-2xl font-semibold">New permission profile</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">Defined on the account, usable on any node of it. You can only include permissions you hold.</p>
      </header>
      <ProfileForm
        action={createProfileAction}
        slug={node.slug}
        areas={groupByArea()}
        held={[...heldOnAccount]}
        saved={{ name: "", description: "", permissions: [] }}
        submitLabel="Create profile"
      />
    </div>
  );
}
