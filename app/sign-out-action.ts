"use server";

import { signOut } from "@/lib/auth";

/** Signing out needs no permission: anyone may end their own session. */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: "/login" });
}
