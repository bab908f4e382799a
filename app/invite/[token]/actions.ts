"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { signIn } from "@/lib/auth";
import { clientInfoFrom } from "@/lib/auth/client-info";
import { getDatabase } from "@/db/client";
import type { ActionState } from "@/lib/actions/authorized-action";
import { DomainError } from "@/lib/errors";
import { acceptInvitation, declineInvitation } from "@/lib/members/invitations";

// The invitation link is its own authority: these actions act only on the invitation its token names.

/** Accepts; a new user's password is set here, then they sign in and enrol two-step verification. */
export async function acceptAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  const token = String(formData.get("token") ?? "");
  const password = formData.get("password");
  const confirm = formData.get("confirm");
  if (password !== null && password !== confirm) return { error: "Check the highlighted fields.", fieldErrors: { confirm: ["The two passwords differ."] } };
  let accepted: { email: string; newUser: boolean };
  try {
    accepted = await acceptInvitation(await getDatabase(), { token, password: password ?? undefined }, clientInfoFrom(await headers()), new Date());
  } catch (error) {
    if (error instanceof DomainError) return { error: error.message, fieldErrors: error.details.fieldErrors };
    throw error;
  }
  if (!accepted.newUser) redirect("/login");
  await signIn("password", { email: accepted.email, password: String(password), redirect: false });
  redirect("/login/enroll");
}

export async function declineAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  try {
    await declineInvitation(await getDatabase(), String(formData.get("token") ?? ""), clientInfoFrom(await headers()), new Date());
  } catch (error) {
    if (error instanceof DomainError) return { error: error.message };
    throw error;
  }
  return { ok: true, message: "You declined the invitation." };
}
