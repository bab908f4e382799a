import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

// The API on the production server: Next's own routing of the handlers the HTTP suite exercises,
// and the reference page, which anyone may read without signing in.

async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const blocking = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(blocking.map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
}

test.describe("the API reference", () => {
  test("documents every operation and the problem types, in light and dark", async ({ page }) => {
    // A long page (every read documents its 304 and If-None-Match): axe takes a while on it, twice,
    // and longer on a machine shared by several engineers.
    test.setTimeout(180_000);
    await page.goto("/api/docs");
    await expect(page.getByRole("heading", { name: "Arbor API reference", level: 1 })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Nodes", level: 2 })).toBeVisible();
    await expect(page.getByRole("heading", { name: /POST \/api\/v1\/nodes\/\{id\}\/move/ })).toBeVisible();
    await expect(page.getByRole("heading", { name: /GET \/api\/v1\/roles\/\{id\}/ })).toBeVisible();
    await expect(page.locator("#problem-idempotency-mismatch")).toHaveText("422");
    await expectAccessible(page);
    await page.screenshot({ path: "test-results/screenshots/api-docs-light.png" });
    await page.emulateMedia({ colorScheme: "dark" });
    await expectAccessible(page);
    await page.screenshot({ path: "test-results/screenshots/api-docs-dark.png" });
  });
});

test.describe("the API on the production server", () => {
  test("serves the OpenAPI 3.1 document", async ({ request }) => {
    const answer = await request.get("/api/v1/openapi.json");
    expect(answer.status()).toBe(200);
    const document = await answer.json();
    expect(document.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/oauth/token", "/nodes", "/nodes/{id}", "/authz/explain"]));
  });

  test("refuses a request without a token with a 401 problem, and bad credentials per RFC 6749", async ({ request }) => {
    const me = await request.get("/api/v1/me");
    expect(me.status()).toBe(401);
    expect(me.headers()["content-type"]).toBe("application/problem+json");
    expect(me.headers()["www-authenticate"]).toMatch(/^Bearer/);
    const forged = await request.post("/api/v1/nodes", { data: { parentId: crypto.randomUUID(), kind: "group", name: "Forged" }, headers: { authorization: "Bearer forged" } });
    expect(forged.status()).toBe(401);
    // Routes with a dynamic segment beside static ones reach their handler, not a 404 page.
    for (const path of [`/api/v1/members/${crypto.randomUUID()}`, `/api/v1/nodes/${crypto.randomUUID()}/members`, `/api/v1/api-clients/${crypto.randomUUID()}`, `/api/v1/roles/${crypto.randomUUID()}`]) {
      const answer = await request.get(path);
      expect([path, answer.status(), answer.headers()["content-type"]]).toEqual([path, 401, "application/problem+json"]);
    }
    const token = await request.post("/api/v1/oauth/token", { form: { grant_type: "client_credentials", client_id: "arb_nobody", client_secret: "wrong" } });
    expect(token.status()).toBe(401);
    expect(await token.json()).toMatchObject({ error: "invalid_client" });
    const grant = await request.post("/api/v1/oauth/token", { form: { grant_type: "password" } });
    expect(grant.status()).toBe(400);
    expect(await grant.json()).toMatchObject({ error: "unsupported_grant_type" });
  });
});
