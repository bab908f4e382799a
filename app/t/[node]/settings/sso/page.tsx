import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { DomainError } from "@/lib/errors";
import { providerIdFor } from "@/lib/idp/providers";
import { getProviderSettings, type ProviderSettings } from "@/lib/idp/service";
import { loadNode } from "../../load-node";
import { AddRuleForm, RemoveRuleButton } from "./mapping-forms";
import { ProviderForm } from "./provider-form";

export const metadata: Metadata = { title: "Single sign-on" };

type Props = { params: Promise<{ node: string }> };

/** Where Auth.js will tell the IdP to send users back: this portal's own address, as the browser sees it. */
async function portalOrigin(): Promise<string> {
  if (process.env.AUTH_URL) return new URL(process.env.AUTH_URL).origin;
  const incoming = await headers();
  const host = incoming.get("x-forwarded-host") ?? incoming.get("host") ?? "localhost";
  const protocol = incoming.get("x-forwarded-proto") ?? "http";
  return `${protocol}://${host}`;
}

export default async function SsoSettingsPage({ params }: Props) {
  const { db, authz, request, node } = await loadNode((await params).node);
  // The IdP belongs to the account: the page exists only there, and only for who may manage it.
  if (node.kind !== "account") notFound();
  let settings: ProviderSettings;
  try {
    settings = await getProviderSettings({ db, authz, request });
  } catch (error) {
    if (error instanceof DomainError) notFound();
    throw error;
  }
  const { provider, mappings, choices } = settings;
  const callbackUrl = `${await portalOrigin()}/api/auth/callback/${providerIdFor(node.accountId)}`;

  return (
    <div className="max-w-4xl space-y-10">
      <header className="space-y-2">
        <h1 className="text-2xl font-semibold">Single sign-on</h1>
        <p className="text-slate-600 dark:text-slate-400">
          Your staff sign in through your own OpenID Connect identity provider, which also handles their second step. Users are created at
          their first sign-in; at every sign-in the rules below set their roles again.
        </p>
        <p className="text-sm">
          Status:{" "}
          <strong>{!provider ? "not configured" : provider.enabled ? "on" : "off"}</strong>
          {provider?.enabled ? (
            <>
              {" "}
              — users choose “Sign in with single sign-on” and enter <code className="font-mono">{node.slug}</code>.
            </>
          ) : null}
        </p>
      </header>

      <section aria-labelledby="register-heading" className="space-y-2">
        <h2 id="register-heading" className="text-lg font-semibold">
          Register Arbor at your identity provider
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Create a confidential web client (authorization code flow) with this redirect URI, and let its ID token carry the email, the name
          and the roles claim.
        </p>
        <p className="text-sm font-medium" id="callback-label">
          Redirect (callback) URL
        </p>
        <code
          aria-labelledby="callback-label"
          data-testid="callback-url"
          className="block overflow-x-auto rounded-md border border-slate-200 bg-white px-3 py-2 font-mono text-sm dark:border-slate-800 dark:bg-slate-900"
        >
          {callbackUrl}
        </code>
      </section>

      <section aria-labelledby="provider-heading" className="space-y-4">
        <h2 id="provider-heading" className="text-lg font-semibold">
          Identity provider
        </h2>
        <ProviderForm
          saved={{
            issuer: provider?.issuer ?? "",
            clientId: provider?.clientId ?? "",
            rolesClaim: provider?.rolesClaim ?? "roles",
            enabled: provider?.enabled ?? true,
            version: provider?.version ?? null,
          }}
        />
      </section>

      <section aria-labelledby="rules-heading" className="space-y-4">
        <div className="space-y-1">
          <h2 id="rules-heading" className="text-lg font-semibold">
            Role mapping
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            A user whose <code className="font-mono">{provider?.rolesClaim ?? "roles"}</code> claim holds the value gets the role on the node
            and below. A value that disappears from the claim takes the role away at the next sign-in. Roles given directly in Arbor stay as
            they are.
          </p>
        </div>
        {mappings.length > 0 ? (
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Mapping rules</caption>
            <thead className="border-b border-slate-200 text-slate-600 dark:border-slate-800 dark:text-slate-400">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Claim value
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Node
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Role
                </th>
                <th scope="col" className="py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
              {mappings.map((rule) => (
                <tr key={rule.id}>
                  <td className="py-2 pr-4 font-mono">{rule.claimValue}</td>
                  <td className="py-2 pr-4">
                    <Link href={`/t/${rule.node.slug}`} className="text-brand-700 underline dark:text-brand-500">
                      {rule.node.name}
                    </Link>
                  </td>
                  <td className="py-2 pr-4">{rule.role.name}</td>
                  <td className="py-2">
                    <RemoveRuleButton mappingId={rule.id} description={`${rule.claimValue} → ${rule.node.name}, ${rule.role.name}`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-400">No rules yet: users who sign in get no role until you add one.</p>
        )}
        {provider ? (
          <AddRuleForm nodes={choices.nodes} roles={choices.roles} />
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-400">Save the identity provider above before adding rules.</p>
        )}
      </section>
    </div>
  );
}
