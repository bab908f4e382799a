import { z } from "zod";
import { clientInfoFrom } from "@/lib/auth/client-info";
import { getLiveSession } from "@/lib/auth/request-context";
import { confirmEnrolment } from "@/lib/auth/sign-in";
import { formFields, invalidInput, refused, SESSION_EXPIRED, stepFailure } from "@/lib/auth/step-response";

// Enrolment: the first code confirms the authenticator of this browser's password-only session and
// returns the recovery codes, once. Continuing into the portal is the `continueAfterEnrolment` action.

const codeSchema = z.object({ code: z.string().trim().min(1, "Enter the code.").max(32, "That code is too long.") });

export async function POST(request: Request): Promise<Response> {
  const parsed = codeSchema.safeParse(await formFields(request));
  if (!parsed.success) return invalidInput(parsed.error);
  const live = await getLiveSession();
  if (!live) return refused(SESSION_EXPIRED);
  const result = await confirmEnrolment(
    live.db,
    { sessionId: live.session.id, principalId: live.session.principalId, code: parsed.data.code },
    clientInfoFrom(request.headers),
    new Date(),
  );
  if (!result.ok) return stepFailure(result, "That code is not valid. Enter the current code from your app.");
  return Response.json({ recoveryCodes: result.recoveryCodes });
}
