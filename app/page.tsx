import { redirect } from "next/navigation";
import { getRequestContext } from "@/lib/auth/request-context";
import { listReadableNodes } from "@/lib/tenants/read";
import { SignOutButton } from "@/components/sign-out-button";
import { ArborMark } from "@/components/arbor-mark";

export default async function HomePage() {
  const context = await getRequestContext();
  if (!context) redirect("/login");
  const readable = await listReadableNodes(context.db, context.authz);
  const home = readable.find((node) => node.id === context.authz.principal.homeNodeId) ?? readable[0];
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
