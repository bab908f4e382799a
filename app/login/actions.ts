"use server";

import { CredentialsSignin } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn } from "@/lib/auth";
import { clientInfoFrom } from "@/lib/auth/client-info";
import { safeRedirectPath } from "@/lib/auth/redirect";
import { getLiveSession } from "@/lib/auth/request-context";
import { confirmEnrolment, verifySecondFactor, type StepFailure } from "@/lib/auth/sign-in";

// Sign-in is the door anonymous visitors come through: these actions grant nothing but a session,
// and each step checks the server-side session the previous step opened.

export interface StepState {
  email?: string;
  error?: string;
  fieldErrors?: Record<string, string[] | undefined>;
  recoveryCodes?: string[];
}

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").email("Enter a valid email address.").max(320),
  password: z.string().min(1, "Enter your password.").max(1024, "That password is too long."),
});

const codeSchema = z.object({ code: z.string().trim().min(1, "Enter the code.").max(32, "That code is too long.") });

function waitMessage(seconds: number | undefined): string {
  const minutes = Math.max(1, Math.ceil((seconds ?? 60) / 60));
  return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

function failureMessage(failure: StepFailure): string {
  if (failure.reason === "rate_limited") return waitMessage(failure.retryAfter);
  if (failure.reason === "expired") return "Your sign-in has expired. Start again.";
  return "That code is not valid. Enter the current code from your app, or a recovery code.";
}

function nextPath(formData: FormData): string {
  return safeRedirectPath(formData.get("next"));
}

/** Step one: email and password. */
export async function signInWithPassword(_previous: StepState, formData: FormData): Promise<StepState> {
  const email = String(formData.get("email") ?? "");
  const parsed = signInSchema.safeParse({ email, password: formData.get("password") ?? "" });
  if (!parsed.success) return { email, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  try {
    await signIn("password", { ...parsed.data, redirect: false });
  } catch (error) {
    if (!(error instanceof CredentialsSignin)) throw error;
    const [code, seconds] = (error.code ?? "").split(":");
    return { email, error: code === "rate_limited" ? waitMessage(Number(seconds)) : "The email or password is not correct." };
  }
  redirect(`/login/verify?next=${encodeURIComponent(nextPath(formData))}`);
}

/** Opens the new, complete session once the second step passed, and goes on into the portal. */
async function finishSignIn(formData: FormData): Promise<StepState> {
  try {
    await signIn("second-factor", { redirect: false });
  } catch (error) {
    if (!(error instanceof CredentialsSignin)) throw error;
    return { error: "Your sign-in has expired. Start again." };
  }
  redirect(nextPath(formData));
}

/** Step two: a TOTP code or a recovery code. */
export async function verifyCode(_previous: StepState, formData: FormData): Promise<StepState> {
  const parsed = codeSchema.safeParse({ code: formData.get("code") ?? "" });
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const live = await getLiveSession();
  if (!live) return { error: "Your sign-in has expired. Start again." };
  const result = await verifySecondFactor(
    live.db,
    { sessionId: live.session.id, principalId: live.session.principalId, code: parsed.data.code },
    clientInfoFrom(await headers()),
    new Date(),
  );
  if (!result.ok) return { error: failureMessage(result) };
  return finishSignIn(formData);
}

/** Enrolment: the first code confirms the authenticator; the recovery codes are shown once. */
export async function confirmAuthenticator(_previous: StepState, formData: FormData): Promise<StepState> {
  const parsed = codeSchema.safeParse({ code: formData.get("code") ?? "" });
  if (!parsed.success) return { fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const live = await getLiveSession();
  if (!live) return { error: "Your sign-in has expired. Start again." };
  const result = await confirmEnrolment(
    live.db,
    { sessionId: live.session.id, principalId: live.session.principalId, code: parsed.data.code },
    clientInfoFrom(await headers()),
    new Date(),
  );
  if (!result.ok) return { error: failureMessage(result).replace(", or a recovery code", "") };
  return { recoveryCodes: result.recoveryCodes };
}

/** After enrolment, once the recovery codes are saved. */
export async function continueAfterEnrolment(_previous: StepState, formData: FormData): Promise<StepState> {
  return finishSignIn(formData);
}
