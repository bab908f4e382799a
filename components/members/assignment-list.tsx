import type { ActionState } from "@/lib/actions/authorized-action";
import type { VisibleAssignment } from "@/lib/members/assignments";
import { RoleDialog } from "./role-dialog";

type Action = (state: ActionState, formData: FormData) => Promise<ActionState>;
const SOURCE = { direct: "Direct", invitation: "Invitation", idp: "Identity provider" } as const;

/** A principal's assignments the viewer may see, with the role dialog where the grant rules allow a change. */
export function AssignmentList(props: {
  principal: { id: string; name: string };
  assignments: (VisibleAssignment & { roles: { id: string; name: string }[] })[];
  actions: { assign: Action; change: Action; revoke: Action };
}) {
  if (props.assignments.length === 0) return <p className="text-slate-600 dark:text-slate-400">No assignments you may see.</p>;
  return (
    <table aria-label="Assignments" className="w-full max-w-4xl text-left text-sm">
      <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
        <tr>
          <th className="py-2 pr-4 font-medium">Node</th>
          <th className="py-2 pr-4 font-medium">Role</th>
          <th className="py-2 pr-4 font-medium">Source</th>
          <th className="py-2 pr-4 font-medium">Expires</th>
          <th className="py-2 font-medium">
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.assignments.map((assignment) => (
          <tr key={assignment.id} className="border-b border-slate-100 align-top dark:border-slate-800">
            <td className="py-2 pr-4">{assignment.nodePath.join(" › ")}</td>
            <td className="py-2 pr-4">{assignment.roleName}</td>
            <td className="py-2 pr-4">{SOURCE[assignment.source]}</td>
            <td className="py-2 pr-4">
              {assignment.expiresAt ? `${assignment.expired ? "Expired " : ""}${assignment.expiresAt.toISOString().slice(0, 10)}` : "Never"}
            </td>
            <td className="py-2">
              {assignment.mayChange && assignment.roles.length > 0 ? (
                <RoleDialog
                  principal={props.principal}
                  node={{ id: assignment.nodeId, name: assignment.nodePath.at(-1) ?? "" }}
                  roles={assignment.roles}
                  assignment={{ id: assignment.id, roleId: assignment.roleId, expiresAt: assignment.expiresAt }}
                  actions={props.actions}
                />
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
