import type { NextRequest } from "next/server";
import { getDatabase } from "@/db/client";
import { handlers } from "@/lib/auth";
import { clientInfoFrom } from "@/lib/auth/client-info";
import { accountIdOfProvider } from "@/lib/idp/providers";
import { recordIdpFailure } from "@/lib/idp/sign-in";

// The authentication endpoint, public by nature: an account's IdP sends the browser back here with
// its answer, which Auth.js checks (state, PKCE, nonce, the ID token) before anyone is signed in.
// Password and second-factor sign-in go through the server actions of /login only, so this route
// serves just what a sign-in through an IdP needs; every other Auth.js endpoint is not found.
const IDP_CALLBACK = /^\/api\/auth\/callback\/(idp-[0-9a-f-]{36})$/;
// Where Auth.js sends a failed sign-in; both redirect to /login with the error.
const AUTH_PAGES = /^\/api\/auth\/(?:signin|error)$/;

const notFound = () => new Response("Not found", { status: 404 });

/**
 * Runs the IdP's callback. A failure Auth.js caught (the user cancelled at the IdP, an answer that
 * failed its checks) is recorded when this browser did start a sign-in; Arbor's own refusals
 * (`sso-*`) were recorded when they were made.
 */
async function callback(request: NextRequest, providerId: string, handle: (request: NextRequest) => Promise<Response>): Promise<Response> {
  const response = await handle(request);
  const location = response.headers.get("location");
  const error = location ? new URL(location, request.url).searchParams.get("error") : null;
  const accountId = accountIdOfProvider(providerId);
  const started = request.cookies.getAll().some((cookie) => cookie.name.endsWith("authjs.pkce.code_verifier"));
  if (error && !error.startsWith("sso-") && accountId && started) {
    await recordIdpFailure(await getDatabase(), accountId, error, clientInfoFrom(request.headers));
  }
  return response;
}

export async function GET(request: NextRequest) {
  const path = request.nextUrl.pathname;
  const providerId = IDP_CALLBACK.exec(path)?.[1];
  if (providerId) return callback(request, providerId, handlers.GET);
  return AUTH_PAGES.test(path) ? handlers.GET(request) : notFound();
}

/** An IdP that answers with `response_mode=form_post` posts its answer to the callback. */
export async function POST(request: NextRequest) {
  const providerId = IDP_CALLBACK.exec(request.nextUrl.pathname)?.[1];
  return providerId ? callback(request, providerId, handlers.POST) : notFound();
}
