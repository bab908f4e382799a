import "server-only";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { OIDCConfig } from "next-auth/providers";
import { headers } from "next/headers";
import { z } from "zod";
import { getDatabase } from "@/db/client";
import { accountIdOfProvider, claimValues, findProviderRow, loadSignInProvider, providerIdFor, type SignInProvider } from "@/lib/idp/providers";
import { completeIdpSignIn } from "@/lib/idp/sign-in";
import { clientInfoFrom } from "./client-info";
import { ABSOLUTE_LIFETIME_MS } from "./sessions";
import { completeSignIn, passwordStep } from "./sign-in";

declare module "next-auth" {
  interface User {
    sid?: string;
  }
  interface Session {
    sid?: string;
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    sid?: string;
  }
}

/** A refused password step; `code` says why ("invalid", or "rate_limited:<seconds>"). */
class PasswordStepRefused extends CredentialsSignin {
  constructor(code: string) {
    super();
    this.code = code;
  }
}

const credentialsSchema = z.object({
  email: z.string().trim().email().max(320),
  password: z.string().min(1).max(1024),
});

/** An account's external IdP as an Auth.js OIDC provider; the IdP handles the second factor. */
function oidcProvider(idp: SignInProvider): OIDCConfig<Record<string, unknown>> {
  return {
    id: providerIdFor(idp.accountId),
    name: "Single sign-on",
    type: "oidc",
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    checks: ["pkce", "state", "nonce"],
    authorization: { params: { scope: "openid profile email" } },
  };
}

/**
 * Finishes a sign-in through an account's IdP, from the claims of its validated ID token: finds or
 * provisions the user by (issuer, subject), applies the role mapping and opens the server-side
 * session, whose id the `jwt` callback then puts in the cookie. A refusal returns to the sign-in page.
 */
async function completeOidcSignIn(providerId: string, user: { id?: string; sid?: string }, claims: Record<string, unknown>): Promise<true | string> {
  const db = await getDatabase();
  const accountId = accountIdOfProvider(providerId);
  const provider = accountId ? await findProviderRow(db, accountId) : null;
  if (!accountId || !provider || typeof claims.sub !== "string") return "/login?error=sso-unavailable";
  const result = await completeIdpSignIn(
    db,
    {
      accountId,
      issuer: typeof claims.iss === "string" ? claims.iss : provider.issuer,
      subject: claims.sub,
      email: typeof claims.email === "string" ? claims.email : null,
      name: typeof claims.name === "string" ? claims.name : null,
      claimValues: claimValues(claims, provider.rolesClaim),
    },
    clientInfoFrom(await headers()),
    new Date(),
  );
  if (!result.ok) return `/login?error=sso-${result.reason}`;
  user.id = result.principalId;
  user.sid = result.sessionId;
  return true;
}

const config: NextAuthConfig = {
  pages: { signIn: "/login", error: "/login" },
  session: { strategy: "jwt", maxAge: ABSOLUTE_LIFETIME_MS / 1000 },
  providers: [
    Credentials({
      id: "password",
      credentials: { email: {}, password: {} },
      authorize: async (raw, request) => {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new PasswordStepRefused("invalid");
        const result = await passwordStep(await getDatabase(), parsed.data, clientInfoFrom(request.headers), new Date());
        if (!result.ok) throw new PasswordStepRefused(result.reason === "rate_limited" ? `rate_limited:${result.retryAfter}` : "invalid");
        return { id: result.principalId, sid: result.sessionId };
      },
    }),
    Credentials({
      // Turns a session whose second step was just verified into a new, complete session.
      id: "second-factor",
      credentials: {},
      authorize: async (_raw, request) => {
        const current = await auth();
        if (!current?.user?.id || !current.sid) return null;
        const sessionId = await completeSignIn(
          await getDatabase(),
          { sessionId: current.sid, principalId: current.user.id },
          clientInfoFrom(request.headers),
          new Date(),
        );
        return sessionId ? { id: current.user.id, sid: sessionId } : null;
      },
    }),
  ],
  callbacks: {
    signIn: ({ user, account, profile }) => {
      if (account?.type !== "oidc") return true;
      return profile ? completeOidcSignIn(account.provider, user, profile) : "/login?error=sso-unavailable";
    },
    jwt: ({ token, user }) => {
      if (user?.id) {
        token.sub = user.id;
        token.sid = user.sid;
      }
      return token;
    },
    session: ({ session, token }) => {
      if (token.sub) session.user.id = token.sub;
      session.sid = token.sid;
      return session;
    },
  },
};

/** The configuration with the account's IdP added, for the requests of a sign-in through it. */
function withIdp(idp: SignInProvider): NextAuthConfig {
  return { ...config, providers: [...config.providers, oidcProvider(idp)] };
}

// Only the IdP's callback needs the IdP (the start is `signInWithIdp`): every other request, and
// each page asks for the session, is answered without reading it.
const IDP_CALLBACK = /^\/api\/auth\/callback\/(idp-[0-9a-f-]{36})$/;

async function idpOfRequest(request: Request | undefined): Promise<SignInProvider | null> {
  const providerId = request ? IDP_CALLBACK.exec(new URL(request.url).pathname)?.[1] : undefined;
  const accountId = providerId ? accountIdOfProvider(providerId) : null;
  return accountId ? loadSignInProvider(await getDatabase(), accountId, new Date()) : null;
}

export const { auth, signIn, signOut, handlers } = NextAuth(async (request) => {
  const idp = await idpOfRequest(request);
  return idp ? withIdp(idp) : config;
});

/** Starts a sign-in through the account's IdP: redirects the browser to it, or answers false when it is not usable now. */
export async function signInWithIdp(accountId: string, redirectTo: string): Promise<false> {
  const idp = await loadSignInProvider(await getDatabase(), accountId, new Date());
  if (!idp) return false;
  return NextAuth(withIdp(idp)).signIn(providerIdFor(accountId), { redirectTo });
}
