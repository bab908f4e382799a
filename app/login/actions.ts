"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn } from "@/lib/auth";

export interface SignInState {
  email: string;
  error?: string;
  fieldErrors?: { email?: string[]; password?: string[] };
}

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").email("Enter a valid email address.").max(320),
  password: z.string().min(1, "Enter your password.").max(1024, "That password is too long."),
});

/** Signing in is the one action open to anonymous visitors; it grants nothing but a session. */
export async function signInWithPassword(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const parsed = signInSchema.safeParse({ email: formData.get("email") ?? "", password: formData.get("password") ?? "" });
  const email = String(formData.get("email") ?? "");
  if (!parsed.success) return { email, fieldErrors: z.flattenError(parsed.error).fieldErrors };
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: "/" });
    return { email };
  } catch (error) {
    if (error instanceof AuthError) return { email, error: "The email or password is not correct." };
    throw error;
  }
}
