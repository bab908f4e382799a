"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDatabase } from "@/db/client";
import type { ActionState } from "@/lib/actions/authorized-action";
import { clientInfoFrom } from "@/lib/auth/client-info";
import { DomainError } from "@/lib/errors";
import { resetPassword } from "@/lib/members/security";

/** The reset link is its own authority: it sets the password of the user it was sent to, once. */
export async function resetAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  try {
    await resetPassword(
      await getDatabase(),
      { token: formData.get("token") ?? "", password: formData.get("password") ?? "", confirm: formData.get("confirm") ?? "" },
      clientInfoFrom(await headers()),
      new Date(),
    );
  } catch (error) {
    if (error instanceof DomainError) return { error: error.message, fieldErrors: error.details.fieldErrors };
    throw error;
  }
  redirect("/login?reset=1");
}
