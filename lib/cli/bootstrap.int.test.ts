import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseConnection } from "@/db/client";
import { createTestDatabase } from "@/db/testing";
import { createApiClientAsOperator } from "@/lib/api-clients/service";
import { can } from "@/lib/authz";
import { loadAuthContext } from "@/lib/authz/load-context";
import { loadTreeNode } from "@/lib/authz/queries";
import { acceptInvitation, findOpenInvitation } from "@/lib/members/invitations";
import { bootstrapAccount } from "./bootstrap";

let connection: DatabaseConnection;

beforeAll(async () => {
  connection = await createTestDatabase();
});
afterAll(async () => connection?.close());

describe("bootstrapAccount", () => {
  it("creates the first account and an Owner who joins through the single-use link", async () => {
    const { accountId, principalId, token } = await bootstrapAccount(connection.db, { email: "Founder@Example.com", name: "Fay Founder", account: "Founders MSP" });
    const open = await findOpenInvitation(connection.db, token, new Date());
    expect(open).toMatchObject({ email: "founder@example.com", needsPassword: true, roleName: "Owner" });
    await acceptInvitation(connection.db, { token, password: "a-long-enough-password" }, { address: null, userAgent: null }, new Date());
    const owner = (await loadAuthContext(connection.db, principalId))!;
    const account = (await loadTreeNode(connection.db, accountId, { id: accountId }))!;
    expect(owner.principal.status).toBe("active");
    expect(can(owner, "account.manage", account)).toBe(true);
    expect(can(owner, "apiclient.manage", account)).toBe(true);
    await expect(acceptInvitation(connection.db, { token, password: "a-long-enough-password" }, { address: null, userAgent: null }, new Date())).rejects.toThrow();
  });

  it("refuses a database that already has an account, and bad input", async () => {
    await expect(bootstrapAccount(connection.db, { email: "second@example.com", name: "Second" })).rejects.toMatchObject({ code: "conflict" });
    await expect(bootstrapAccount(connection.db, { email: "not-an-email", name: "" })).rejects.toMatchObject({ code: "invalid" });
  });

  it("lets the operator give the new account an API client by slug", async () => {
    const { client, clientSecret } = await createApiClientAsOperator(connection.db, { node: { slug: "founders-msp" }, roleKey: "manager", name: "Onboarding" });
    expect(client.name).toBe("Onboarding");
    expect(clientSecret).toHaveLength(43);
  });
});
