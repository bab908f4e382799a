import type { PermissionArea } from "@/lib/access/permission-areas";

/** Read-only permissions, grouped by area. */
export function PermissionList({ areas, label }: { areas: PermissionArea[]; label: string }) {
  return (
    <dl aria-label={label} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {areas.map((area) => (
        <div key={area.key}>
          <dt className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">{area.label}</dt>
          <dd>
            <ul className="mt-1 space-y-0.5">
              {area.permissions.map((permission) => (
                <li key={permission} className="font-mono text-sm">
                  {permission}
                </li>
              ))}
            </ul>
          </dd>
        </div>
      ))}
    </dl>
  );
}
