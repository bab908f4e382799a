"use server";

import { AuthError } from "next-auth";
import { unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { getDatabase } from "@/db/client";
import { signInWithIdp } from "@/lib/auth";
import { safeRedirectPath } from "@/lib/auth/redirect";
import { findSsoAccount } from "@/lib/idp/providers";
import { ssoAccountInput } from "@/lib/idp/schemas";

// A door for anonymous visitors, like the password step: it grants nothing, it only sends the browser
// to the account's IdP, whose signed answer the Auth.js callback checks.

export interface SsoState {
  account?: string;
  error?: string;
  fieldErrors?: Record<string, string[] | undefined>;
}

/** Finds the account by its short name and starts the sign-in at its IdP. */
export async function startSsoSignIn(_previous: SsoState, formData: FormData): Promise<SsoState> {
  const account = String(formData.get("account") ?? "");
  const parsed = ssoAccountInput.safeParse({ account });
  if (!parsed.success) return { account, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const found = await findSsoAccount(await getDatabase(), parsed.data.account, new Date());
  if (found.ok) {
    try {
      // Redirects to the IdP; comes back only when the provider was turned off meanwhile.
      await signInWithIdp(found.accountId, safeRedirectPath(formData.get("next")));
    } catch (error) {
      unstable_rethrow(error);
      if (!(error instanceof AuthError)) throw error;
      console.error("arbor: could not start the sign-in at the IdP", error);
      return { account, error: "Your identity provider could not be reached. Try again in a moment, or ask your administrator." };
    }
  }
  const ambiguous = !found.ok && found.reason === "ambiguous";
  return {
    account,
    error: ambiguous
      ? "More than one account uses this short name. Ask your administrator for the sign-in address of yours."
      : "No account with single sign-on goes by this short name, or its single sign-on is turned off. Check the name, or sign in with your email and password.",
  };
}
