import { redirect } from "next/navigation";
import { getRequestContext } from "@/lib/auth/request-context";
import { can } from "@/lib/authz";
import { loadTreeNode } from "@/lib/authz/queries";
import { listTreeRoots } from "@/lib/tenants/tree";
import { SignOutButton } from "@/components/sign-out-button";
import { ArborMark } from "@/components/arbor-mark";

export default async function HomePage() {
  const context = await getRequestContext();
  if (!context) redirect("/login");
  const { db, authz } = context;
  // The home node when it may be read, else the top of what may be: never a read of the whole tree.
  const homeNode = await loadTreeNode(db, authz.principal.accountId, { id: authz.principal.homeNodeId }, authz.now);
  const home = homeNode && can(authz, "tenant.read", homeNode) ? homeNode : (await listTreeRoots(context))[0];
  if (home) redirect(`/t/${home.slug}/tree`);

  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center gap-4 p-6 text-center">
      <ArborMark />
      <h1 className="text-xl font-semibold">No access yet</h1>
      <p className="text-slate-600 dark:text-slate-400">
        You are signed in as {context.authz.principal.email}, but no role has been assigned to you. Ask an administrator of
        your organization to grant you access.
      </p>
      <SignOutButton />
    </main>
  );
}
