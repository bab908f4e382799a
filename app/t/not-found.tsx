import Link from "next/link";
import { ArborMark } from "@/components/arbor-mark";
import { NodeSwitcher } from "@/components/shell/node-switcher";
import { ShellFrame } from "@/components/shell/shell-frame";
import { UserControls } from "@/components/shell/user-controls";
import { getRequestContext } from "@/lib/auth/request-context";

// A node that does not exist and one the user may not read end here alike (no probing by address),
// inside a frame that still lets them switch to a node they may see.
export default async function NodeNotFound() {
  const context = await getRequestContext();
  const message = (
    <div className="mx-auto max-w-lg py-10 text-center">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-400">This page does not exist, or you do not have access to it.</p>
      <Link href="/" className="mt-4 inline-block text-brand-700 underline dark:text-brand-500">
        Go to your portal
      </Link>
    </div>
  );
  if (!context) return <main className="p-6">{message}</main>;
  return (
    <ShellFrame
      sidebar={
        <Link href="/" className="block px-2">
          <ArborMark className="text-lg" />
        </Link>
      }
      header={
        <>
          <div className="flex-1" />
          <NodeSwitcher />
          <UserControls name={context.authz.principal.name} />
        </>
      }
    >
      {message}
    </ShellFrame>
  );
}
