import { AppShell } from "@/components/app-shell";
import { listReadableAncestors } from "@/lib/tenants/read";
import { loadNode } from "./load-node";

export default async function NodeLayout({ children, params }: { children: React.ReactNode; params: Promise<{ node: string }> }) {
  const { node: slug } = await params;
  const { db, authz, request, node } = await loadNode(slug);
  const ancestors = await listReadableAncestors(db, authz, node);
  return (
    <AppShell ctx={{ db, authz, request }} node={node} ancestors={ancestors}>
      {children}
    </AppShell>
  );
}
