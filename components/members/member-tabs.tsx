import Link from "next/link";

export const MEMBER_TABS = [
  { id: "members", label: "Members" },
  { id: "access", label: "Who has access here" },
  { id: "invitations", label: "Invitations" },
] as const;
export type MemberTab = (typeof MEMBER_TABS)[number]["id"];

/** The sections of the members page, as links: each has its own address and works without script. */
export function MemberTabs({ slug, current }: { slug: string; current: MemberTab }) {
  return (
    <nav aria-label="Member sections" className="border-b border-slate-200 dark:border-slate-800">
      <ul className="-mb-px flex gap-4">
        {MEMBER_TABS.map((tab) => (
          <li key={tab.id}>
            <Link
              href={tab.id === "members" ? `/t/${slug}/members` : `/t/${slug}/members?tab=${tab.id}`}
              aria-current={tab.id === current ? "page" : undefined}
              className={`inline-block border-b-2 px-1 py-2 text-sm font-medium ${
                tab.id === current
                  ? "border-brand-700 text-brand-800 dark:border-brand-500 dark:text-brand-100"
                  : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100"
              }`}
            >
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
