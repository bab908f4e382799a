import type { PermissionArea } from "@/lib/access/permission-areas";

/** Read-only permissions, grouped by area. */
export function PermissionList({ areas, label }: { areas: PermissionArea[]; label: string }) {
  const idPrefix = label.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return (
    <div role="group" aria-label={label} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {areas.map((area) => (
        <div key={area.key}>
          <p id={`${idPrefix}-${area.key}`} className="text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">
            {area.label}
          </p>
          <ul aria-labelledby={`${idPrefix}-${area.key}`} className="mt-1 space-y-0.5">
            {area.permissions.map((permission) => (
              <li key={permission} className="font-mono text-sm">
                {permission}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
