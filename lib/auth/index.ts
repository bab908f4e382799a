import "server-only";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDatabase } from "@/db/client";
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

const config: NextAuthConfig = {
  pages: { signIn: "/login" },
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

export const { auth, signIn, signOut } = NextAuth(config);
