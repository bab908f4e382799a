import { CredentialsSignin } from "next-auth";
import { z } from "zod";
import { signIn } from "@/lib/auth";
import { clientInfoFrom } from "@/lib/auth/client-info";
import { safeRedirectPath } from "@/lib/auth/redirect";
import { getLiveSession } from "@/lib/auth/request-context";
import { verifySecondFactor } from "@/lib/auth/sign-in";
import { formFields, invalidInput, refused, SESSION_EXPIRED, stepFailure } from "@/lib/auth/step-response";

// Step two: a TOTP or recovery code for the password-only session of this browser; on success a
// new, complete session replaces it.

const codeSchema = z.object({ code: z.string().trim().min(1, "Enter the code.").max(32, "That code is too long.") });

export async function POST(request: Request): Promise<Response> {
  const fields = await formFields(request);
  const parsed = codeSchema.safeParse(fields);
  if (!parsed.success) return invalidInput(parsed.error);
  const live = await getLiveSession();
  if (!live) return refused(SESSION_EXPIRED);
  const result = await verifySecondFactor(
    live.db,
    { sessionId: live.session.id, principalId: live.session.principalId, code: parsed.data.code },
    clientInfoFrom(request.headers),
    new Date(),
  );
  if (!result.ok) return stepFailure(result, "That code is not valid. Enter the current code from your app, or a recovery code.");
  try {
    await signIn("second-factor", { redirect: false });
  } catch (error) {
    if (!(error instanceof CredentialsSignin)) throw error;
    return refused(SESSION_EXPIRED);
  }
  return Response.json({ next: safeRedirectPath(fields.next) });
}
