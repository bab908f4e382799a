import { expect, test } from "@playwright/test";
import { storageStateOf } from "./personas";

test.describe("the audit log", () => {
  test.describe("as the provider owner", () => {
    test.use({ storageState: storageStateOf("providerOwner") });

    test("lists events, filters them, and downloads them as CSV", async ({ page }) => {
      await page.goto("/t/northwind/audit");
      const events = page.getByRole("table", { name: "Audit events" });
      await expect(events.getByRole("cell", { name: "demo.seed", exact: true })).toBeVisible();
      await page.getByLabel("Action").fill("sign-in");
      await page.getByRole("button", { name: "Filter" }).click();
      await expect(page).toHaveURL(/action=sign-in/);
      await expect(events.getByRole("cell", { name: "demo.seed", exact: true })).toHaveCount(0);
      await expect(events.getByRole("cell", { name: "sign-in" }).first()).toBeVisible();
      const download = await page.request.get("/t/northwind/audit/export?action=sign-in");
      expect(download.status()).toBe(200);
      expect(download.headers()["content-type"]).toContain("text/csv");
      const lines = (await download.text()).trimEnd().split("\r\n");
      expect(lines[0]).toMatch(/^id,time,actor/);
      expect(lines.length).toBeGreaterThan(1);
      expect(lines.slice(1).every((line) => line.includes('"sign-in'))).toBe(true);
    });
  });

  test.describe("as the EMEA OU admin", () => {
    test.use({ storageState: storageStateOf("emeaAdmin") });

    test("cannot export another region's log: not found, like a node that does not exist", async ({ page }) => {
      for (const slug of ["americas", "no-such-node"]) {
        expect((await page.request.get(`/t/${slug}/audit/export`)).status()).toBe(404);
      }
    });
  });

  test.describe("as a customer viewer", () => {
    test.use({ storageState: storageStateOf("customerViewer") });

    test("is refused the log of their own organization", async ({ page }) => {
      await page.goto("/t/adler-logistik/audit");
      await expect(page.getByText("You may not read the audit log of Adler Logistik.")).toBeVisible();
      expect((await page.request.get("/t/adler-logistik/audit/export")).status()).toBe(403);
    });
  });
});
