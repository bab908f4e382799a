import { PERMISSIONS } from "@/lib/authz";
import type { AccessExplanation } from "@/lib/members/assignments";

/** The explain tool: a GET form (the question is in the URL) and the answer of explain(). */
export function ExplainForm(props: {
  name: string;
  nodes: { id: string; label: string }[];
  values: { permission?: string; nodeId?: string };
  answer: AccessExplanation | null;
  error: string | null;
}) {
  return (
    <div className="space-y-3">
      <form role="search" aria-label="Explain access" className="flex flex-wrap items-end gap-3">
        <div className="space-y-1">
          <label htmlFor="explain-permission" className="block text-sm font-medium">
            Permission
          </label>
          <select id="explain-permission" name="permission" defaultValue={props.values.permission ?? "tenant.read"} className={CONTROL}>
            {PERMISSIONS.map((permission) => (
              <option key={permission} value={permission}>
                {permission}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="explain-node" className="block text-sm font-medium">
            Node
          </label>
          <select id="explain-node" name="on" defaultValue={props.values.nodeId ?? props.nodes[0]?.id} className={CONTROL}>
            {props.nodes.map((node) => (
              <option key={node.id} value={node.id}>
                {node.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="rounded-md bg-brand-700 px-4 py-2 font-medium text-white hover:bg-brand-800">
          Explain
        </button>
      </form>
      {props.error ? (
        <p role="alert" className="text-red-700 dark:text-red-300">
          {props.error}
        </p>
      ) : null}
      {props.answer ? <Answer name={props.name} answer={props.answer} /> : null}
    </div>
  );
}

function Answer({ name, answer }: { name: string; answer: AccessExplanation }) {
  const tone = answer.allowed
    ? "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
    : "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100";
  return (
    <div role="status" aria-label="Explanation" className={`max-w-2xl rounded-md border p-3 text-sm ${tone}`}>
      <p className="font-medium">
        {answer.allowed ? "Allowed" : "Denied"}: {name} {answer.allowed ? "holds" : "does not hold"} {answer.permission} on {answer.nodeName}.
      </p>
      {answer.allowed ? (
        <p>
          Granted by the {answer.grant.roleName} role on {answer.grantNodeName ?? "a node above"}
          {answer.inherited ? " (inherited)" : " (directly)"}, source {answer.grant.source},{" "}
          {answer.grant.expiresAt ? `until ${answer.grant.expiresAt.toISOString().slice(0, 10)}` : "with no expiry"}.
        </p>
      ) : (
        <p>{answer.message}</p>
      )}
    </div>
  );
}

const CONTROL = "block rounded-md border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-900";
