import { CredentialsSignin } from "next-auth";
import { z } from "zod";
import { signIn } from "@/lib/auth";
import { safeRedirectPath } from "@/lib/auth/redirect";
import { formFields, invalidInput, refused, tooManyAttempts } from "@/lib/auth/step-response";

// Step one of signing in. Public by nature: it grants nothing but a password-only session, which
// can do nothing but take the second step.

const signInSchema = z.object({
  email: z.string().trim().min(1, "Enter your email address.").email("Enter a valid email address.").max(320),
  password: z.string().min(1, "Enter your password.").max(1024, "That password is too long."),
});

export async function POST(request: Request): Promise<Response> {
  const fields = await formFields(request);
  const parsed = signInSchema.safeParse(fields);
  if (!parsed.success) return invalidInput(parsed.error);
  try {
    await signIn("password", { ...parsed.data, redirect: false });
  } catch (error) {
    if (!(error instanceof CredentialsSignin)) throw error;
    const [code, seconds] = (error.code ?? "").split(":");
    return code === "rate_limited" ? tooManyAttempts(Number(seconds) || 60) : refused("The email or password is not correct.");
  }
  return Response.json({ next: `/login/verify?next=${encodeURIComponent(safeRedirectPath(fields.next))}` });
}
