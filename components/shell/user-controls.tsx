import { SignOutButton } from "../sign-out-button";
import { ThemeToggle } from "./theme-toggle";

/** The right end of the header: theme, who is signed in, and signing out. */
export function UserControls({ name }: { name: string }) {
  return (
    <div className="flex items-center gap-3">
      <ThemeToggle />
      <span className="hidden text-sm text-slate-600 lg:inline dark:text-slate-400">{name}</span>
      <SignOutButton />
    </div>
  );
}
