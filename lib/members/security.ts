import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database } from "@/db/client";
import { localCredentials, passwordResets, principals, recoveryCodes, totpCredentials } from "@/db/schema";
import { insertAuditEvent, recordAudit } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/password";
import { endAllSessions, type ClientInfo } from "@/lib/auth/sessions";
import { hashLinkToken, isLinkToken, newLinkToken } from "@/lib/auth/tokens";
import { DomainError } from "@/lib/errors";
import { sendMail } from "@/lib/mail/send";
import type { ServiceContext } from "@/lib/service-context";
import { parseInput } from "@/lib/validation";
import { principalIdInput, resetPasswordInput } from "./schemas";
import { loadManagedPrincipal } from "./target";

export const RESET_LIFETIME_MS = 30 * 60 * 1000;

/**
 * Mails the user a single-use link, valid 30 minutes, to set a new password; the admin never sees
 * or chooses it. All the user's sessions end at once; two-step verification stays.
 */
export async function requestPasswordReset(ctx: ServiceContext, raw: unknown, links: { baseUrl: string }): Promise<void> {
  const { principalId } = parseInput(principalIdInput, raw);
  const { target, home } = await loadManagedPrincipal(ctx, "member.password-reset", "member.manage", principalId);
  if (target.principal.kind !== "user" || !target.principal.email) throw new DomainError("invalid", "Only users have passwords.");
  if (target.principal.status === "disabled") throw new DomainError("invalid", "This user is disabled; enable them first.");
  if (target.principal.status === "invited") {
    throw new DomainError("invalid", "This user has not joined yet: resend their invitation instead.");
  }
  const { token, hash } = newLinkToken();
  const expiresAt = new Date(ctx.authz.now.getTime() + RESET_LIFETIME_MS);
  await ctx.db.transaction(async (tx) => {
    await tx.insert(passwordResets).values({ accountId: home.accountId, principalId, requestedBy: ctx.authz.principal.id, tokenHash: hash, expiresAt });
    await endAllSessions(tx, principalId);
    await sendMail(tx, {
      accountId: home.accountId,
      to: target.principal.email!,
      subject: "Set a new Arbor password",
      text: [
        `Hello ${target.principal.name},`,
        "",
        `An administrator asked for your Arbor password to be reset. Set a new one here (valid 30 minutes, once):`,
        `${links.baseUrl}/reset/${token}`,
        "",
        "You have been signed out everywhere. Your two-step verification stays as it is.",
      ].join("\n"),
    });
    await recordAudit(tx, ctx, { action: "member.password-reset", nodeId: home.id, targetType: "principal", targetId: principalId, after: { expiresAt } });
  });
}

/** Whether a reset link can still be used, for the page that shows the form. */
export async function findUsableReset(db: Database, token: string, now: Date) {
  if (!isLinkToken(token)) return null;
  const [row] = await db
    .select({ id: passwordResets.id, principalId: passwordResets.principalId, accountId: passwordResets.accountId, email: principals.email })
    .from(passwordResets)
    .innerJoin(principals, eq(principals.id, passwordResets.principalId))
    .where(
      and(eq(passwordResets.tokenHash, hashLinkToken(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now), eq(principals.status, "active")),
    );
  return row ?? null;
}

/** Sets the new password through the link; single-use; ends every session of the user. */
export async function resetPassword(db: Database, raw: unknown, client: ClientInfo, now: Date): Promise<{ email: string }> {
  const input = parseInput(resetPasswordInput, raw);
  const reset = await findUsableReset(db, input.token, now);
  if (!reset) throw new DomainError("invalid", "This link has expired or was already used. Ask your administrator for a new one.");
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    const claimed = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.id, reset.id), isNull(passwordResets.usedAt)))
      .returning({ id: passwordResets.id });
    if (claimed.length === 0) throw new DomainError("invalid", "This link was already used.");
    await tx
      .insert(localCredentials)
      .values({ principalId: reset.principalId, accountId: reset.accountId, passwordHash })
      .onConflictDoUpdate({ target: localCredentials.principalId, set: { passwordHash, updatedAt: now } });
    await endAllSessions(tx, reset.principalId);
    await insertAuditEvent(tx, {
      accountId: reset.accountId,
      actorId: reset.principalId,
      actingAs: "user",
      nodeId: null,
      action: "password.reset",
      targetType: "principal",
      targetId: reset.principalId,
      address: client.address,
      userAgent: client.userAgent,
    });
  });
  return { email: reset.email! };
}

/** Ends every session of a user on every instance, from their next request on. */
export async function signOutEverywhere(ctx: ServiceContext, raw: unknown): Promise<void> {
  const { principalId } = parseInput(principalIdInput, raw);
  const { home } = await loadManagedPrincipal(ctx, "member.sign-out-everywhere", "member.manage", principalId);
  await ctx.db.transaction(async (tx) => {
    await endAllSessions(tx, principalId);
    await recordAudit(tx, ctx, { action: "member.sign-out-everywhere", nodeId: home.id, targetType: "principal", targetId: principalId });
  });
}

/** Removes a user's authenticator and recovery codes: their next sign-in enrols again. Signs them out. */
export async function resetSecondFactor(ctx: ServiceContext, raw: unknown): Promise<void> {
  const { principalId } = parseInput(principalIdInput, raw);
  const { home } = await loadManagedPrincipal(ctx, "member.second-factor-reset", "member.manage", principalId);
  await ctx.db.transaction(async (tx) => {
    const removed = await tx.delete(totpCredentials).where(eq(totpCredentials.principalId, principalId)).returning({ id: totpCredentials.principalId });
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.principalId, principalId));
    await endAllSessions(tx, principalId);
    await recordAudit(tx, ctx, {
      action: "member.second-factor-reset",
      nodeId: home.id,
      targetType: "principal",
      targetId: principalId,
      before: { enrolled: removed.length > 0 },
    });
  });
}
