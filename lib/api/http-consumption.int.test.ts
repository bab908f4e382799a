import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, nodeCapabilities, usageDaily } from "@/db/schema";
import { createProfile } from "@/lib/access/profiles";
import { contextFor } from "@/lib/access/test-support";
import { addDays, dayOf } from "@/lib/consumption/calendar";
import { MAX_USAGE_BODY_BYTES, MAX_USAGE_CSV_BYTES } from "@/lib/consumption/schemas";
import { catalogIds, consumptionSnapshot } from "@/lib/consumption/write-test-support";
import { OWNER, startApiFixture, type ApiFixture } from "./testing/api-fixture";

// The consumption and billing endpoints over HTTP: an allowed and a refused client each, 404 where the
// client cannot see the node or the thing, 403 where it sees it but lacks the permission, idempotent
// creates, 412 on a stale If-Match, and every answer checked against the served OpenAPI document.

type Client = Awaited<ReturnType<ApiFixture["client"]>>;
let api: ApiFixture;
let owner: Client;
let accountViewer: Client;
let emeaManager: Client;
let emeaViewer: Client;
let adlerViewer: Client;
let treeReader: Client;
let ids: { account: string; emea: string; adler: string; baltic: string; pioneer: string };
let products: Record<string, string>;
const today = dayOf(new Date());
const month = today.slice(0, 7);

beforeAll(async () => {
  api = await startApiFixture();
  ids = { account: await api.node("northwind"), emea: await api.node("emea"), adler: await api.node("adler-logistik"), baltic: await api.node("baltic-freight-lines"), pioneer: await api.node("pioneer-rail") };
  const accountId = (await contextFor(api.db, OWNER)).authz.principal.accountId;
  products = await catalogIds(api.db, accountId);
  // API clients live where the api capability is: give it to two customers so each can have its own.
  await api.db.insert(nodeCapabilities).values([ids.adler, ids.baltic].map((nodeId) => ({ accountId, nodeId, capability: "api" as const })));
  owner = await api.client("northwind", "owner", "Billing automation");
  accountViewer = await api.client("northwind", "viewer", "Account reporting");
  emeaManager = await api.client("emea", "manager", "EMEA provisioning");
  emeaViewer = await api.client("emea", "viewer", "EMEA reporting");
  adlerViewer = await api.client("adler-logistik", "viewer", "Adler reporting");
  const profile = await createProfile(await contextFor(api.db, OWNER), { name: "Tree only", permissions: ["tenant.read"] });
  treeReader = await api.client("emea", { roleId: profile.id }, "Tree reader");
});
afterAll(async () => api?.close());

async function denials(client: Client, action: string) {
  return api.db.select().from(auditEvents).where(and(eq(auditEvents.actorId, client.client.id), eq(auditEvents.action, action)));
}

/** Runs a refused call and checks its status, that it was audited, and that no consumption data changed. */
async function refused(client: Client, method: string, path: string, options: Parameters<ApiFixture["call"]>[2], status: 403 | 404) {
  const before = await consumptionSnapshot(api.db);
  const answer = await api.call(method, path, { token: client.token, ...options });
  expect(answer.status, `${method} ${path}`).toBe(status);
  expect(answer.body.type).toBe(status === 403 ? "/api/docs#problem-forbidden" : "/api/docs#problem-not-found");
  expect(await consumptionSnapshot(api.db)).toEqual(before);
  return answer;
}

describe("program and catalog", () => {
  it("sets the program at the account with If-Match, reads it, and refuses a stale version", async () => {
    const set = await api.call("PUT", "/nodes/{id}/flex-program", { token: owner.token, params: { id: ids.account }, body: { pointPrice: 1.25, currency: "eur", billingDay: 1 } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ pointPrice: 1.25, currency: "EUR", billingDay: 1 });
    const read = await api.call("GET", "/nodes/{id}/flex-program", { token: owner.token, params: { id: ids.account } });
    expect([read.status, read.headers.get("etag")]).toEqual([200, set.headers.get("etag")]);
    const changed = await api.call("PUT", "/nodes/{id}/flex-program", { token: owner.token, params: { id: ids.account }, body: { pointPrice: 1.5, currency: "EUR", billingDay: 1 }, headers: { "if-match": read.headers.get("etag")! } });
    expect(changed.status).toBe(200);
    const stale = await api.call("PUT", "/nodes/{id}/flex-program", { token: owner.token, params: { id: ids.account }, body: { pointPrice: 9, currency: "EUR", billingDay: 1 }, headers: { "if-match": read.headers.get("etag")! } });
    expect(stale.status).toBe(412);
    expect((await api.call("GET", "/nodes/{id}/flex-program", { token: owner.token, params: { id: ids.account } })).body.pointPrice).toBe(1.5);
  });

  it("refuses the program to a viewer (403), hides it from a branch client (404), and names the account for a group (400)", async () => {
    await refused(accountViewer, "PUT", "/nodes/{id}/flex-program", { params: { id: ids.account }, body: { pointPrice: 2, currency: "EUR", billingDay: 1 } }, 403);
    expect(await denials(accountViewer, "api.setFlexProgram.denied")).toHaveLength(1);
    await refused(accountViewer, "GET", "/nodes/{id}/flex-program", { params: { id: ids.account } }, 403);
    await refused(emeaManager, "GET", "/nodes/{id}/flex-program", { params: { id: ids.account } }, 404);
    const group = await api.call("GET", "/nodes/{id}/flex-program", { token: owner.token, params: { id: ids.emea } });
    expect([group.status, group.body.detail]).toEqual([400, expect.stringContaining("use the account's id")]);
  });

  it("lists the catalog wherever consumption is readable", async () => {
    const catalog = await api.call("GET", "/nodes/{id}/flex-products", { token: adlerViewer.token, params: { id: ids.adler } });
    expect(catalog.status).toBe(200);
    expect(catalog.body.items.map((product: { key: string }) => product.key)).toContain("fortigate-vm");
    await refused(treeReader, "GET", "/nodes/{id}/flex-products", { params: { id: ids.emea } }, 403);
    await refused(adlerViewer, "GET", "/nodes/{id}/flex-products", { params: { id: ids.baltic } }, 404);
  });
});

let configuration: { id: string; etag: string };
let serials: string[] = [];
let entitlementIds: string[] = [];

describe("configurations", () => {
  const body = () => ({ productId: products["fortigate-vm"], name: "Edge firewalls", parameters: { cpu: "2", service: "fc" } });

  it("creates one on an organization (201, ETag) and replays the same answer for the same Idempotency-Key", async () => {
    const headers = { "idempotency-key": "config-adler-1" };
    const created = await api.call("POST", "/nodes/{id}/configurations", { token: emeaManager.token, params: { id: ids.adler }, body: body(), headers });
    expect(created.status).toBe(201);
    expect(created.headers.get("etag")).toBe('"v1"');
    expect(created.body).toMatchObject({ nodeId: ids.adler, name: "Edge firewalls", version: 1 });
    const before = await consumptionSnapshot(api.db);
    const replay = await api.call("POST", "/nodes/{id}/configurations", { token: emeaManager.token, params: { id: ids.adler }, body: body(), headers });
    expect([replay.status, replay.headers.get("idempotent-replayed"), replay.body]).toEqual([201, "true", created.body]);
    expect(await consumptionSnapshot(api.db)).toEqual(before);
    const other = await api.call("POST", "/nodes/{id}/configurations", { token: emeaManager.token, params: { id: ids.adler }, body: { ...body(), name: "Other" }, headers });
    expect(other.status).toBe(422);
    configuration = { id: created.body.id, etag: created.headers.get("etag")! };
  });

  it("lists and reads them, and changes one at the version read (stale If-Match is 412)", async () => {
    const list = await api.call("GET", "/nodes/{id}/configurations", { token: emeaViewer.token, params: { id: ids.emea }, query: { limit: 1 } });
    expect(list.body).toMatchObject({ items: [{ id: configuration.id, organization: "Adler Logistik", product: "FortiGate VM" }], nextCursor: null });
    const read = await api.call("GET", "/configurations/{id}", { token: adlerViewer.token, params: { id: configuration.id } });
    expect([read.status, read.headers.get("etag")]).toEqual([200, configuration.etag]);
    const patched = await api.call("PATCH", "/configurations/{id}", { token: emeaManager.token, params: { id: configuration.id }, body: { parameters: { cpu: "4", service: "fc" } }, headers: { "if-match": configuration.etag } });
    expect([patched.status, patched.headers.get("etag")]).toEqual([200, '"v2"']);
    expect(patched.body.pointsPerDay).toBeGreaterThan(read.body.pointsPerDay);
    const stale = await api.call("PATCH", "/configurations/{id}", { token: emeaManager.token, params: { id: configuration.id }, body: { name: "Late" }, headers: { "if-match": configuration.etag } });
    expect(stale.status).toBe(412);
    const badCursor = await api.call("GET", "/nodes/{id}/configurations", { token: emeaViewer.token, params: { id: ids.emea }, query: { cursor: "abc" } });
    expect([badCursor.status, Object.keys(badCursor.body.errors)]).toEqual([400, ["cursor"]]);
  });

  it("refuses a viewer (403), another organization's client (404), a group (400), and writes nothing", async () => {
    await refused(emeaViewer, "POST", "/nodes/{id}/configurations", { params: { id: ids.adler }, body: body() }, 403);
    await refused(emeaManager, "POST", "/nodes/{id}/configurations", { params: { id: ids.pioneer }, body: body() }, 404);
    await refused(adlerViewer, "PATCH", "/configurations/{id}", { params: { id: configuration.id }, body: { name: "Mine" } }, 403);
    const baltic = await api.client("baltic-freight-lines", "manager", "Baltic provisioning");
    await refused(baltic, "GET", "/configurations/{id}", { params: { id: configuration.id } }, 404);
    await refused(baltic, "PATCH", "/configurations/{id}", { params: { id: configuration.id }, body: { name: "Mine" } }, 404);
    const group = await api.call("POST", "/nodes/{id}/configurations", { token: emeaManager.token, params: { id: ids.emea }, body: body() });
    expect(group.status).toBe(400);
  });
});

describe("entitlements", () => {
  it("creates pending entitlements from a configuration (201), once per Idempotency-Key", async () => {
    const headers = { "idempotency-key": "entitlements-adler-1" };
    const created = await api.call("POST", "/configurations/{id}/entitlements", { token: emeaManager.token, params: { id: configuration.id }, body: { count: 3, description: "Branch offices" }, headers });
    expect(created.status).toBe(201);
    expect(created.body.items).toHaveLength(3);
    expect(created.body.items.every((item: { status: string }) => item.status === "pending")).toBe(true);
    const replay = await api.call("POST", "/configurations/{id}/entitlements", { token: emeaManager.token, params: { id: configuration.id }, body: { count: 3, description: "Branch offices" }, headers });
    expect([replay.status, replay.body]).toEqual([201, created.body]);
    const list = await api.call("GET", "/nodes/{id}/entitlements", { token: emeaViewer.token, params: { id: ids.emea } });
    expect(list.body.total).toBe(3);
    serials = created.body.items.map((item: { serialNumber: string }) => item.serialNumber);
    entitlementIds = created.body.items.map((item: { id: string }) => item.id);
  });

  it("walks the list by cursor with filters and sort, the same rows as one page", async () => {
    const all = await api.call("GET", "/nodes/{id}/entitlements", { token: emeaViewer.token, params: { id: ids.emea }, query: { status: "pending", sort: "serialNumber", dir: "desc", limit: 100 } });
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<ApiFixture["call"]>> = await api.call("GET", "/nodes/{id}/entitlements", {
        token: emeaViewer.token,
        params: { id: ids.emea },
        query: { status: "pending", sort: "serialNumber", dir: "desc", limit: 2, ...(cursor ? { cursor } : {}) },
      });
      walked.push(...page.body.items.map((item: { serialNumber: string }) => item.serialNumber));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(walked).toEqual([...serials].sort().reverse());
    expect(all.body.items.map((item: { serialNumber: string }) => item.serialNumber)).toEqual(walked);
    const filtered = await api.call("GET", "/nodes/{id}/entitlements", { token: emeaViewer.token, params: { id: ids.emea }, query: { q: serials[0]!.slice(-6), status: "active" } });
    expect(filtered.body).toMatchObject({ items: [], total: 0 });
    const bad = await api.call("GET", "/nodes/{id}/entitlements", { token: emeaViewer.token, params: { id: ids.emea }, query: { sort: "secret", status: "lost" } });
    expect([bad.status, Object.keys(bad.body.errors).sort()]).toEqual([400, ["sort", "status"]]);
  });

  it("moves one along its lifecycle at the version read; stale is 412, an illegal transition 400", async () => {
    const id = entitlementIds[0]!;
    const read = await api.call("GET", "/entitlements/{id}", { token: adlerViewer.token, params: { id } });
    expect([read.status, read.headers.get("etag"), read.body.organization]).toEqual([200, '"v1"', "Adler Logistik"]);
    const activated = await api.call("POST", "/entitlements/{id}/activate", { token: emeaManager.token, params: { id }, body: { day: addDays(today, -10) }, headers: { "if-match": '"v1"' } });
    expect([activated.status, activated.body.status, activated.body.startDate, activated.headers.get("etag")]).toEqual([200, "active", addDays(today, -10), '"v2"']);
    const stale = await api.call("POST", "/entitlements/{id}/stop", { token: emeaManager.token, params: { id }, body: {}, headers: { "if-match": '"v1"' } });
    expect(stale.status).toBe(412);
    const again = await api.call("POST", "/entitlements/{id}/activate", { token: emeaManager.token, params: { id }, body: {} });
    expect(again.status).toBe(400);
    const stopped = await api.call("POST", "/entitlements/{id}/stop", { token: emeaManager.token, params: { id }, body: {} });
    expect(stopped.body.status).toBe("stopped");
    const reactivated = await api.call("POST", "/entitlements/{id}/reactivate", { token: emeaManager.token, params: { id }, body: {} });
    expect([reactivated.body.status, reactivated.body.version]).toEqual(["active", 4]);
    const other = entitlementIds[2]!;
    await api.call("POST", "/entitlements/{id}/activate", { token: emeaManager.token, params: { id: other }, body: { day: addDays(today, -5) } });
    const expired = await api.call("POST", "/entitlements/{id}/expire", { token: emeaManager.token, params: { id: other }, body: { day: addDays(today, -1) } });
    expect([expired.body.status, expired.body.endDate]).toEqual(["expired", addDays(today, -1)]);
  });

  it("refuses a viewer (403) and another organization's client (404) for every transition, and writes nothing", async () => {
    const baltic = await api.client("baltic-freight-lines", "manager", "Baltic lifecycle");
    for (const transition of ["activate", "stop", "reactivate", "expire"]) {
      await refused(adlerViewer, "POST", `/entitlements/{id}/${transition}`, { params: { id: entitlementIds[1]! }, body: {} }, 403);
      await refused(baltic, "POST", `/entitlements/{id}/${transition}`, { params: { id: entitlementIds[1]! }, body: {} }, 404);
    }
    await refused(baltic, "GET", "/entitlements/{id}", { params: { id: entitlementIds[1]! } }, 404);
    await refused(baltic, "GET", "/nodes/{id}/entitlements", { params: { id: ids.adler } }, 404);
    await refused(treeReader, "GET", "/nodes/{id}/entitlements", { params: { id: ids.emea } }, 403);
    await refused(adlerViewer, "POST", "/configurations/{id}/entitlements", { params: { id: configuration.id }, body: { count: 1 } }, 403);
    await refused(baltic, "POST", "/configurations/{id}/entitlements", { params: { id: configuration.id }, body: { count: 1 } }, 404);
    const balticList = await api.call("GET", "/nodes/{id}/entitlements", { token: baltic.token, params: { id: ids.baltic } });
    expect(balticList.body).toMatchObject({ items: [], total: 0 });
  });
});

describe("usage", () => {
  const usage = (rows: unknown[], extra: Record<string, unknown> = {}) => ({ token: emeaManager.token, params: { id: ids.emea }, body: { rows, ...extra } });

  it("records rows idempotently by (entitlement, day)", async () => {
    const rows = [
      { serialNumber: serials[0], day: addDays(today, -1), points: 40 },
      { serialNumber: serials[0], day: today, points: "12.5" },
    ];
    const first = await api.call("POST", "/nodes/{id}/usage", usage(rows));
    expect(first.body).toMatchObject({ inserted: 2, replaced: 0, rejected: 0, imported: true, errors: [] });
    const again = await api.call("POST", "/nodes/{id}/usage", usage(rows));
    expect(again.body).toMatchObject({ inserted: 0, unchanged: 2, imported: true });
    expect(await api.db.select().from(usageDaily).where(eq(usageDaily.entitlementId, entitlementIds[0]!))).toHaveLength(2);
  });

  it("refuses a batch with bad rows whole, each row by index and reason; imports the valid rows on request", async () => {
    const rows = [
      { serialNumber: serials[0], day: addDays(today, -2), points: 3 },
      { serialNumber: serials[1], day: today, points: 1 },
      { serialNumber: serials[0], day: "2026-02-30", points: 1 },
      { serialNumber: "NOPE0000", day: today, points: -1 },
    ];
    const before = await consumptionSnapshot(api.db);
    const bad = await api.call("POST", "/nodes/{id}/usage", usage(rows));
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.errors)).toEqual(["rows.1", "rows.2", "rows.3"]);
    expect(bad.body.errors["rows.1"][0]).toContain("pending");
    expect(await consumptionSnapshot(api.db)).toEqual(before);
    const partial = await api.call("POST", "/nodes/{id}/usage", usage(rows, { importValidRows: true }));
    expect(partial.body).toMatchObject({ inserted: 1, rejected: 3, valid: 1, imported: true });
    expect(partial.body.errors.map((error: { index: number }) => error.index)).toEqual([1, 2, 3]);
  });

  it("refuses a viewer (403) and a node out of reach (404), writing nothing", async () => {
    const rows = [{ serialNumber: serials[0], day: today, points: 99 }];
    await refused(emeaViewer, "POST", "/nodes/{id}/usage", { params: { id: ids.emea }, body: { rows } }, 403);
    await refused(emeaManager, "POST", "/nodes/{id}/usage", { params: { id: ids.pioneer }, body: { rows } }, 404);
    const baltic = await api.client("baltic-freight-lines", "manager", "Baltic usage");
    const foreign = await api.call("POST", "/nodes/{id}/usage", { token: baltic.token, params: { id: ids.baltic }, body: { rows } });
    expect([foreign.status, foreign.body.errors["rows.0"][0]]).toEqual([400, `Unknown serial number ${serials[0]}.`]);
  });
});

describe("usage CSV import", () => {
  /** Posts a CSV body (the fixture's caller sends JSON) and checks the answer against the document. */
  async function postCsv(client: Client, nodeId: string, csv: string, query = "", contentType = "text/csv") {
    const response = await fetch(`${api.baseUrl}/api/v1/nodes/${nodeId}/usage/import${query}`, {
      method: "POST",
      headers: { authorization: `Bearer ${client.token}`, "content-type": contentType },
      body: csv,
    });
    const body = await response.json();
    expect(api.validate("/nodes/{id}/usage/import", "POST", response.status, response.headers.get("content-type"), body, response.headers)).toEqual([]);
    return { status: response.status, body };
  }

  it("reports bad rows by line and imports nothing, or the valid rows on request", async () => {
    const csv = `serial_number,day,points\r\n${serials[0]},${addDays(today, -3)},2\r\n${serials[0]},tomorrow,1\r\n`;
    const before = await consumptionSnapshot(api.db);
    const report = await postCsv(emeaManager, ids.emea, csv);
    expect(report).toEqual({ status: 200, body: expect.objectContaining({ imported: false, valid: 1, errors: [{ line: 3, reason: expect.stringContaining("tomorrow") }] }) });
    expect(await consumptionSnapshot(api.db)).toEqual(before);
    const imported = await postCsv(emeaManager, ids.emea, csv, "?importValidRows=true");
    expect(imported.body).toMatchObject({ imported: true, inserted: 1, rejected: 1 });
  });

  it("refuses a body that is not text/csv or has no header (400), a viewer (403), a node out of reach (404)", async () => {
    expect((await postCsv(emeaManager, ids.emea, "serial_number,day,points\n", "", "application/json")).status).toBe(400);
    expect((await postCsv(emeaManager, ids.emea, "a,b,c\nx,y,z\n")).body.detail).toContain("header");
    const before = await consumptionSnapshot(api.db);
    const csv = `serial_number,day,points\n${serials[0]},${today},77\n`;
    expect((await postCsv(emeaViewer, ids.emea, csv)).status).toBe(403);
    expect((await postCsv(emeaManager, ids.pioneer, csv)).status).toBe(404);
    expect(await consumptionSnapshot(api.db)).toEqual(before);
  });
});

describe("body limits", () => {
  async function post(path: string, body: BodyInit, contentType: string) {
    const response = await fetch(`${api.baseUrl}/api/v1${path}`, { method: "POST", headers: { authorization: `Bearer ${emeaManager.token}`, "content-type": contentType }, body, duplex: "half" } as RequestInit);
    return { status: response.status, body: await response.json() };
  }

  it("refuses a usage CSV, a usage batch and any other body above its limit with 413, writing nothing", async () => {
    const before = await consumptionSnapshot(api.db);
    const csv = await post(`/nodes/${ids.emea}/usage/import`, `serial_number,day,points\n${"x".repeat(MAX_USAGE_CSV_BYTES)}`, "text/csv");
    expect([csv.status, csv.body.type, csv.body.detail]).toEqual([413, "/api/docs#problem-too-large", "The request body is larger than 5 MB, the most this operation accepts: send less at a time."]);
    const row = { serialNumber: serials[0], day: today, points: 1 };
    const batch = await post(`/nodes/${ids.emea}/usage`, JSON.stringify({ rows: Array.from({ length: MAX_USAGE_BODY_BYTES / 60 }, () => row) }), "application/json");
    expect([batch.status, batch.body.detail]).toEqual([413, "The request body is larger than 8 MB, the most this operation accepts: send less at a time."]);
    const configuration = await post(`/nodes/${ids.adler}/configurations`, JSON.stringify({ name: "x".repeat(1024 * 1024) }), "application/json");
    expect([configuration.status, configuration.body.detail]).toEqual([413, "The request body is larger than 1 MB, the most this operation accepts: send less at a time."]);
    expect(await consumptionSnapshot(api.db)).toEqual(before);
  });

  it("refuses a body sent without a length (chunked) once it passes the limit", async () => {
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        if (sent > 2 * MAX_USAGE_CSV_BYTES) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const answer = await post(`/nodes/${ids.emea}/usage/import`, stream, "text/csv");
    expect([answer.status, answer.body.type]).toEqual([413, "/api/docs#problem-too-large"]);
  });
});

describe("dashboard reads", () => {
  it("answers the series, top consumers and month summary from the roll-ups", async () => {
    const series = await api.call("GET", "/nodes/{id}/consumption/series", { token: emeaViewer.token, params: { id: ids.emea }, query: { granularity: "day", from: addDays(today, -2), to: today, split: "child" } });
    expect(series.status).toBe(200);
    expect(series.body.points.map((point: { total: number }) => point.total)).toEqual([3, 40, 12.5]);
    const monthly = await api.call("GET", "/nodes/{id}/consumption/series", { token: adlerViewer.token, params: { id: ids.adler }, query: { granularity: "month", from: month, to: month, split: "product" } });
    expect(monthly.body.lines.map((line: { label: string }) => line.label)).toContain("FortiGate VM");
    const top = await api.call("GET", "/nodes/{id}/consumption/top-consumers", { token: emeaViewer.token, params: { id: ids.emea }, query: { from: addDays(today, -2), to: today } });
    expect(top.body.consumers).toMatchObject([{ organizationId: ids.adler, points: 55.5, share: 100 }]);
    const summary = await api.call("GET", "/nodes/{id}/consumption/summary", { token: adlerViewer.token, params: { id: ids.adler } });
    expect([summary.status, summary.body.throughDay, summary.body.budget]).toEqual([200, today, null]);
    const backwards = await api.call("GET", "/nodes/{id}/consumption/series", { token: emeaViewer.token, params: { id: ids.emea }, query: { granularity: "day", from: today, to: addDays(today, -3) } });
    expect([backwards.status, Object.keys(backwards.body.errors)]).toEqual([400, ["to"]]);
  });

  it("never shows an organization's consumption to another organization's client (404) or to a client without consumption.read (403)", async () => {
    const baltic = await api.client("baltic-freight-lines", "viewer", "Baltic reporting");
    const range = { from: addDays(today, -2), to: today };
    await refused(baltic, "GET", "/nodes/{id}/consumption/series", { params: { id: ids.adler }, query: { ...range, granularity: "day" } }, 404);
    await refused(baltic, "GET", "/nodes/{id}/consumption/top-consumers", { params: { id: ids.emea }, query: range }, 404);
    await refused(baltic, "GET", "/nodes/{id}/consumption/summary", { params: { id: ids.adler } }, 404);
    await refused(baltic, "GET", "/nodes/{id}/budget-alerts", { params: { id: ids.adler } }, 404);
    await refused(treeReader, "GET", "/nodes/{id}/consumption/series", { params: { id: ids.emea }, query: { ...range, granularity: "day" } }, 403);
    await refused(treeReader, "GET", "/nodes/{id}/consumption/top-consumers", { params: { id: ids.emea }, query: range }, 403);
    await refused(treeReader, "GET", "/nodes/{id}/consumption/summary", { params: { id: ids.emea } }, 403);
    await refused(treeReader, "GET", "/nodes/{id}/budget-alerts", { params: { id: ids.emea } }, 403);
    const own = await api.call("GET", "/nodes/{id}/consumption/series", { token: baltic.token, params: { id: ids.baltic }, query: { ...range, granularity: "day" } });
    expect(own.body.points.every((point: { total: number }) => point.total === 0)).toBe(true);
  });
});

describe("budgets and alerts", () => {
  it("sets a budget (the alerts it makes due are raised), lists it, refuses a stale If-Match, removes it", async () => {
    const set = await api.call("PUT", "/nodes/{id}/budgets/{month}", { token: emeaManager.token, params: { id: ids.adler, month }, body: { points: 10 } });
    expect([set.status, set.headers.get("etag"), set.body.points]).toEqual([200, '"v1"', 10]);
    const alerts = await api.call("GET", "/nodes/{id}/budget-alerts", { token: adlerViewer.token, params: { id: ids.adler } });
    expect(alerts.body.items.map((alert: { threshold: number }) => alert.threshold)).toEqual([100, 80]);
    const raised = await api.call("PUT", "/nodes/{id}/budgets/{month}", { token: emeaManager.token, params: { id: ids.adler, month }, body: { points: 1000 }, headers: { "if-match": '"v1"' } });
    expect(raised.body.version).toBe(2);
    const stale = await api.call("PUT", "/nodes/{id}/budgets/{month}", { token: emeaManager.token, params: { id: ids.adler, month }, body: { points: 5 }, headers: { "if-match": '"v1"' } });
    expect(stale.status).toBe(412);
    const list = await api.call("GET", "/nodes/{id}/budgets", { token: adlerViewer.token, params: { id: ids.adler } });
    expect(list.body.items).toMatchObject([{ month: `${month}-01`, points: 1000, alerts: [80, 100] }]);
    expect((await api.call("GET", "/nodes/{id}/budget-alerts", { token: adlerViewer.token, params: { id: ids.adler } })).body.items).toEqual([]);
    expect((await api.call("DELETE", "/nodes/{id}/budgets/{month}", { token: emeaManager.token, params: { id: ids.adler, month } })).status).toBe(204);
    expect((await api.call("DELETE", "/nodes/{id}/budgets/{month}", { token: emeaManager.token, params: { id: ids.adler, month } })).status).toBe(404);
    const badMonth = await api.call("PUT", "/nodes/{id}/budgets/{month}", { token: emeaManager.token, params: { id: ids.adler, month: "2026-13" }, body: { points: 5 } });
    expect(badMonth.status).toBe(400);
  });

  it("refuses a viewer (403) and a client out of reach (404), writing nothing", async () => {
    await refused(adlerViewer, "PUT", "/nodes/{id}/budgets/{month}", { params: { id: ids.adler, month }, body: { points: 5 } }, 403);
    await refused(adlerViewer, "DELETE", "/nodes/{id}/budgets/{month}", { params: { id: ids.adler, month } }, 403);
    await refused(emeaManager, "PUT", "/nodes/{id}/budgets/{month}", { params: { id: ids.pioneer, month }, body: { points: 5 } }, 404);
    await refused(adlerViewer, "GET", "/nodes/{id}/budgets", { params: { id: ids.baltic } }, 404);
    await refused(treeReader, "GET", "/nodes/{id}/budgets", { params: { id: ids.emea } }, 403);
  });
});

describe("statement", () => {
  it("answers the period's statement and the periods list at the account", async () => {
    const statement = await api.call("GET", "/nodes/{id}/statement", { token: owner.token, params: { id: ids.account }, query: { period: month } });
    expect(statement.status).toBe(200);
    expect(statement.body).toMatchObject({ currency: "EUR", pointPrice: "1.5000", lines: [{ organizationId: ids.adler }] });
    const adlerPoints = Number(statement.body.lines[0].points);
    expect(Number(statement.body.total.amount)).toBeCloseTo(adlerPoints * 1.5, 2);
    const periods = await api.call("GET", "/nodes/{id}/statement-periods", { token: owner.token, params: { id: ids.account } });
    expect(periods.body.periods[0]).toMatchObject({ month, open: true });
    const bad = await api.call("GET", "/nodes/{id}/statement", { token: owner.token, params: { id: ids.account }, query: { period: "last month" } });
    expect([bad.status, Object.keys(bad.body.errors)]).toEqual([400, ["period"]]);
  });

  it("refuses without billing.read (403), hides the account from a branch client (404), and names the account for another node (400)", async () => {
    await refused(accountViewer, "GET", "/nodes/{id}/statement", { params: { id: ids.account }, query: { period: month } }, 403);
    await refused(accountViewer, "GET", "/nodes/{id}/statement-periods", { params: { id: ids.account } }, 403);
    await refused(emeaManager, "GET", "/nodes/{id}/statement", { params: { id: ids.account }, query: { period: month } }, 404);
    await refused(emeaManager, "GET", "/nodes/{id}/statement-periods", { params: { id: ids.account } }, 404);
    const group = await api.call("GET", "/nodes/{id}/statement", { token: owner.token, params: { id: ids.emea }, query: { period: month } });
    expect(group.status).toBe(400);
  });
});

describe("without the flex capability", () => {
  it("refuses every consumption endpoint on the organization, and writes nothing", async () => {
    await api.db.delete(nodeCapabilities).where(and(eq(nodeCapabilities.nodeId, ids.adler), eq(nodeCapabilities.capability, "flex")));
    const range = { from: addDays(today, -2), to: today };
    const calls: [string, string, Parameters<ApiFixture["call"]>[2]][] = [
      ["GET", "/nodes/{id}/entitlements", { params: { id: ids.adler } }],
      ["GET", "/nodes/{id}/configurations", { params: { id: ids.adler } }],
      ["GET", "/entitlements/{id}", { params: { id: entitlementIds[0]! } }],
      ["POST", "/entitlements/{id}/stop", { params: { id: entitlementIds[0]! }, body: {} }],
      ["POST", "/nodes/{id}/usage", { params: { id: ids.adler }, body: { rows: [{ serialNumber: serials[0], day: today, points: 1 }] } }],
      ["GET", "/nodes/{id}/consumption/series", { params: { id: ids.adler }, query: { ...range, granularity: "day" } }],
      ["PUT", "/nodes/{id}/budgets/{month}", { params: { id: ids.adler, month }, body: { points: 5 } }],
    ];
    for (const [method, path, options] of calls) {
      const before = await consumptionSnapshot(api.db);
      const answer = await api.call(method, path, { token: emeaManager.token, ...options });
      expect([403, 404], `${method} ${path}`).toContain(answer.status);
      expect(await consumptionSnapshot(api.db)).toEqual(before);
    }
    const emea = await api.call("GET", "/nodes/{id}/entitlements", { token: emeaManager.token, params: { id: ids.emea } });
    expect(emea.body).toMatchObject({ items: [], total: 0 });
  });
});
