"use server";

import { headers } from "next/headers";
import { signOut } from "@/lib/auth";
import { clientInfoFrom } from "@/lib/auth/client-info";
import { getLiveSession } from "@/lib/auth/request-context";
import { signOutSession } from "@/lib/auth/sign-in";

/** Signing out needs no permission: anyone may end their own session, which ends on the server. */
export async function signOutAction(): Promise<void> {
  const live = await getLiveSession();
  if (live) {
    const { session } = live;
    await signOutSession(live.db, { sessionId: session.id, principalId: session.principalId, accountId: session.accountId }, clientInfoFrom(await headers()));
  }
  await signOut({ redirectTo: "/login" });
}
