import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";

/** A real OpenID Connect provider on the loopback, run by a test: plain http, its quick-start login form. */
export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The claims the IdP will release for a login from now on (email, name, roles...). */
  setClaims(login: string, claims: Record<string, unknown>): void;
  close(): Promise<void>;
}

const SCOPES = "openid email profile";

/**
 * Starts oidc-provider on a free port of 127.0.0.1 with one confidential client whose only redirect URI
 * is `redirectUri`. Any login is accepted (the development login form); consent is given on the user's
 * behalf, as for a first-party app. Scope claims go in the ID token, where Arbor reads the roles claim.
 */
export async function startTestIdp(redirectUri: string): Promise<TestIdp> {
  const claimsOf = new Map<string, Record<string, unknown>>();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "arbor-e2e";
  const clientSecret = "arbor-e2e-client-secret-0123456789";

  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri], grant_types: ["authorization_code"], response_types: ["code"] }],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "roles"] },
    conformIdTokenClaims: false,
    cookies: { keys: ["e2e-only-cookie-signing-key"] },
    features: { devInteractions: { enabled: true } },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, ...claimsOf.get(sub) }) }),
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session, provider: idp } = ctx.oidc;
      const grantId = session?.grantIdFor(client!.clientId);
      if (grantId) return idp.Grant.find(grantId);
      const grant = new idp.Grant({ clientId: client!.clientId, accountId: session!.accountId! });
      grant.addOIDCScope(SCOPES);
      await grant.save();
      return grant;
    },
  });
  server.on("request", provider.callback());

  return {
    issuer,
    clientId,
    clientSecret,
    setClaims: (login, claims) => claimsOf.set(login, claims),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
