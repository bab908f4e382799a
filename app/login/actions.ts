"use server";

import { CredentialsSignin } from "next-auth";
import { redirect } from "next/navigation";
import { signIn } from "@/lib/auth";
import { safeRedirectPath } from "@/lib/auth/redirect";
import type { StepBody } from "@/lib/auth/step-response";

/**
 * After enrolment, once the recovery codes are saved: opens the new, complete session (only if this
 * browser's session just passed its second step) and goes on into the portal.
 */
export async function continueAfterEnrolment(_previous: StepBody, formData: FormData): Promise<StepBody> {
  try {
    await signIn("second-factor", { redirect: false });
  } catch (error) {
    if (!(error instanceof CredentialsSignin)) throw error;
    return { error: "Your sign-in has expired. Start again." };
  }
  redirect(safeRedirectPath(formData.get("next")));
}
