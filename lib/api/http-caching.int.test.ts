import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProfile } from "@/lib/access/profiles";
import { builtinRoleId, contextFor } from "@/lib/access/test-support";
import { OWNER, startApiFixture, type ApiFixture, type CallOptions } from "./testing/api-fixture";

// ETags on reads that have no version of their own (lists, /me, the roles): a repeated read with the
// tag answers 304 with no body; any change to what the read shows makes the tag stale. (Every GET of
// the HTTP suite is checked for its ETag, and every 304 against the document, by the fixture.)

let api: ApiFixture;
let owner: Awaited<ReturnType<ApiFixture["client"]>>;
let reader: Awaited<ReturnType<ApiFixture["client"]>>;

beforeAll(async () => {
  api = await startApiFixture();
  owner = await api.client("northwind", "owner", "Provider automation");
  const treeReader = await createProfile(await contextFor(api.db, OWNER), { name: "Tree reader", permissions: ["tenant.read"] });
  reader = await api.client("emea", { roleId: treeReader.id }, "Tree reader bot");
});
afterAll(async () => api?.close());

/** Reads twice, the second time with the first answer's tag; both answers. */
async function readTwice(template: string, options: CallOptions) {
  const first = await api.call("GET", template, options);
  expect(first.status, template).toBe(200);
  const again = await api.call("GET", template, { ...options, headers: { "if-none-match": first.headers.get("etag")! } });
  return { first, again };
}

/** What a client holding `etag` gets now: 304 while it is current, else 200 and the new tag. */
async function readWith(template: string, options: CallOptions, etag: string) {
  const answer = await api.call("GET", template, { ...options, headers: { "if-none-match": etag } });
  return { status: answer.status, etag: answer.headers.get("etag") };
}

describe("If-None-Match on reads without a version", () => {
  it("answers an unchanged list, /me and the roles with 304, no body and the same tag", async () => {
    const emea = await api.node("emea");
    const reads: [string, CallOptions][] = [
      ["/me", {}],
      ["/nodes", { query: { under: emea, limit: 5 } }],
      ["/audit-events", { query: { nodeId: emea } }],
      ["/nodes/{id}/capabilities", { params: { id: emea } }],
      ["/nodes/{id}/access", { params: { id: emea } }],
      ["/nodes/{id}/invitations", { params: { id: emea } }],
      ["/api-clients", { query: { nodeId: emea } }],
      ["/roles", {}],
    ];
    for (const [template, options] of reads) {
      const { first, again } = await readTwice(template, { ...options, token: owner.token });
      expect([template, again.status, again.body, again.headers.get("etag")]).toEqual([template, 304, null, first.headers.get("etag")]);
    }
  });

  it("answers 200 with a new tag once the nodes list, the audit trail or the capabilities change", async () => {
    const smb = await api.node("emea-smb");
    const nodes = { token: owner.token, query: { under: await api.node("emea") } };
    const audit = { token: owner.token, query: { nodeId: smb, limit: 5 } };
    const capabilities = { token: owner.token, params: { id: smb } };
    const before = {
      nodes: (await api.call("GET", "/nodes", nodes)).headers.get("etag")!,
      audit: (await api.call("GET", "/audit-events", audit)).headers.get("etag")!,
      capabilities: (await api.call("GET", "/nodes/{id}/capabilities", capabilities)).headers.get("etag")!,
    };
    expect((await api.call("PATCH", "/nodes/{id}", { token: owner.token, params: { id: smb }, body: { name: "SMB Europe" } })).status).toBe(200);
    const expiresAt = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
    expect((await api.call("PUT", "/nodes/{id}/capabilities/{capability}", { token: owner.token, params: { id: smb, capability: "flex" }, body: { expiresAt } })).status).toBe(200);

    for (const [template, options, etag] of [
      ["/nodes", nodes, before.nodes],
      ["/audit-events", audit, before.audit],
      ["/nodes/{id}/capabilities", capabilities, before.capabilities],
    ] as const) {
      const now = await readWith(template, options, etag);
      expect([template, now.status]).toEqual([template, 200]);
      expect(now.etag).not.toBe(etag);
      expect((await readWith(template, options, now.etag!)).status).toBe(304);
    }
  });

  it("makes a client's /me stale when it is given a role, and a node's version tag stale when it is renamed", async () => {
    const watcher = await api.client("emea", "viewer", "Watcher");
    const me = await api.call("GET", "/me", { token: watcher.token });
    const emeaEnterprise = await api.node("emea-enterprise");
    const assigned = await api.call("POST", "/nodes/{id}/assignments", {
      token: owner.token,
      params: { id: emeaEnterprise },
      body: { principalId: watcher.client.id, roleId: await builtinRoleId(api.db, "manager") },
    });
    expect(assigned.status).toBe(201);
    expect((await readWith("/me", { token: watcher.token }, me.headers.get("etag")!)).status).toBe(200);

    const node = await api.call("GET", "/nodes/{id}", { token: owner.token, params: { id: emeaEnterprise } });
    expect((await readWith("/nodes/{id}", { token: owner.token, params: { id: emeaEnterprise } }, node.headers.get("etag")!)).status).toBe(304);
    expect((await api.call("PATCH", "/nodes/{id}", { token: owner.token, params: { id: emeaEnterprise }, body: { name: "Enterprise Europe" } })).status).toBe(200);
    const renamed = await readWith("/nodes/{id}", { token: owner.token, params: { id: emeaEnterprise } }, node.headers.get("etag")!);
    expect(renamed).toEqual({ status: 200, etag: `"v${node.body.version + 1}"` });
  });

  it("gives a refused caller its refusal, never a 304, whatever tag it sends", async () => {
    const emea = await api.node("emea");
    const seen = await api.call("GET", "/audit-events", { token: owner.token, query: { nodeId: emea } });
    for (const tag of ["*", seen.headers.get("etag")!]) {
      const refused = await api.call("GET", "/audit-events", { token: reader.token, query: { nodeId: emea }, headers: { "if-none-match": tag } });
      expect([refused.status, refused.headers.get("etag")]).toEqual([403, null]);
      const hidden = await api.call("GET", "/nodes/{id}/capabilities", { token: reader.token, params: { id: await api.node("americas") }, headers: { "if-none-match": tag } });
      expect(hidden.status).toBe(404);
    }
    expect((await api.call("GET", "/me", { token: null, headers: { "if-none-match": "*" } })).status).toBe(401);
  });
});
