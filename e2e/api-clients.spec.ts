import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { storageStateOf } from "./personas";

async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const blocking = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(blocking.map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
}

test.describe("API clients", () => {
  test.describe("as the provider owner", () => {
    test.use({ storageState: storageStateOf("providerOwner") });

    test("creates a client whose secret gets a token for the API, then disables it", async ({ page }) => {
      // Two axe runs and a round trip through the API on a shared machine.
      test.setTimeout(90_000);
      await page.goto("/t/northwind");
      await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "API clients" }).click();
      await expect(page.getByRole("heading", { name: "API clients", level: 1 })).toBeVisible();
      await expectAccessible(page);
      await page.getByLabel("Name").fill("CI pipeline");
      await page.getByLabel("Role").selectOption({ label: "Viewer" });
      await page.getByRole("button", { name: "Create client" }).click();
      const shown = page.getByRole("status").filter({ hasText: "client_secret" });
      await expect(shown).toBeVisible();
      const [, clientId, clientSecret] = /client_id (\S+) · client_secret (\S+)/.exec((await shown.textContent()) ?? "")!;

      const token = await page.request.post("/api/v1/oauth/token", { form: { grant_type: "client_credentials", client_id: clientId!, client_secret: clientSecret! } });
      expect(token.status()).toBe(200);
      const authorization = `Bearer ${(await token.json()).access_token}`;
      const me = await page.request.get("/api/v1/me", { headers: { authorization } });
      expect((await me.json()).principal).toMatchObject({ kind: "api_client", name: "CI pipeline" });
      // Next's own routing passes the wrapper's ETag and its body-less 304 through unchanged.
      const etag = me.headers()["etag"];
      expect(etag).toMatch(/^"c[\w-]+"$/);
      const unchanged = await page.request.get("/api/v1/me", { headers: { authorization, "if-none-match": etag! } });
      expect([unchanged.status(), unchanged.headers()["etag"], await unchanged.text()]).toEqual([304, etag, ""]);
      const nodes = await page.request.get("/api/v1/nodes?limit=5", { headers: { authorization } });
      expect((await nodes.json()).items).toHaveLength(5);

      await expect(page.getByRole("table", { name: "API clients" }).getByRole("cell", { name: "CI pipeline", exact: true })).toBeVisible();
      await page.getByRole("button", { name: "Disable CI pipeline" }).click();
      await expect(page.getByRole("row", { name: /CI pipeline/ }).getByRole("cell", { name: "disabled", exact: true })).toBeVisible();
      expect((await page.request.get("/api/v1/me", { headers: { authorization } })).status()).toBe(401);

      await page.screenshot({ path: "test-results/screenshots/api-clients-light.png", fullPage: true });
      await page.emulateMedia({ colorScheme: "dark" });
      await expectAccessible(page);
      await page.screenshot({ path: "test-results/screenshots/api-clients-dark.png", fullPage: true });
    });
  });

  test.describe("as the EMEA OU admin, a Manager without apiclient.manage", () => {
    test.use({ storageState: storageStateOf("emeaAdmin") });

    test("finds no such page, and no link to it", async ({ page }) => {
      await page.goto("/t/emea");
      await expect(page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "API clients" })).toHaveCount(0);
      await page.goto("/t/emea/settings/api-clients");
      await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    });
  });
});
