import type { TenantNode } from "@/lib/tenants/read";
import type { ServiceContext } from "@/lib/service-context";
import { Breadcrumbs } from "./breadcrumbs";
import { NodeSwitcher } from "./shell/node-switcher";
import { ShellFrame } from "./shell/shell-frame";
import { SidebarNav } from "./shell/sidebar-nav";
import { UserControls } from "./shell/user-controls";

/** The portal frame: navigation for the node in the URL, its breadcrumbs, the node switcher and the signed-in principal. */
export function AppShell(props: { ctx: ServiceContext; node: TenantNode; ancestors: TenantNode[]; children: React.ReactNode }) {
  return (
    <ShellFrame
      sidebar={<SidebarNav ctx={props.ctx} node={props.node} />}
      header={
        <>
          <div className="min-w-0 flex-1">
            <Breadcrumbs ancestors={props.ancestors} node={props.node} />
          </div>
          <NodeSwitcher currentName={props.node.name} />
          <UserControls name={props.ctx.authz.principal.name} />
        </>
      }
    >
      {props.children}
    </ShellFrame>
  );
}
