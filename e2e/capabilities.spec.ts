import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { storageStateOf } from "./personas";

async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => violation.id)).toEqual([]);
}

const capabilityRow = (page: Page, capability: string) =>
  page.getByRole("table", { name: "Capabilities" }).getByRole("row").filter({ has: page.getByRole("rowheader", { name: new RegExp(`^${capability}\\b`) }) });

const nextYear = () => `${new Date().getUTCFullYear() + 1}-06-30`;

/** Opens a page as the provider owner, in a context of its own. */
async function asOwner<T>(browser: Browser, work: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ storageState: storageStateOf("providerOwner") });
  try {
    return await work(await context.newPage());
  } finally {
    await context.close();
  }
}

test.describe("capabilities", () => {
  // Accessibility checks are slow on a shared two-core machine.
  test.describe.configure({ timeout: 90_000 });

  test.describe("as the provider owner", () => {
    test.use({ storageState: storageStateOf("providerOwner") });

    test("sets a capability with an expiry on an organization, then removes it", async ({ page }) => {
      await page.goto("/t/adler-logistik/capabilities");
      const sso = capabilityRow(page, "sso");
      await expect(sso.getByRole("cell").nth(0)).toHaveText("Yes, no expiry");
      await expect(sso.getByRole("cell").nth(1)).toHaveText("Not set");
      await expectNoSeriousAxeViolations(page);

      await sso.getByLabel("Expiry of sso (optional)").fill("2001-01-01");
      await sso.getByRole("button", { name: "Set sso" }).click();
      await expect(sso.getByLabel("Expiry of sso (optional)")).toHaveAccessibleDescription("The expiry must be in the future.");
      await expect(sso.getByRole("cell").nth(1)).toHaveText("Not set");

      await sso.getByLabel("Expiry of sso (optional)").fill(nextYear());
      await sso.getByRole("button", { name: "Set sso" }).click();
      await expect(sso.getByRole("status").filter({ hasText: `sso is set until ${nextYear()}.` })).toBeVisible();
      await expect(sso.getByRole("cell").nth(1)).toHaveText(`Yes, until ${nextYear()}`);
      await expect(sso.getByRole("cell").nth(2)).toHaveText(`Yes, until ${nextYear()}`);
      await page.screenshot({ path: "test-results/screens/capabilities.png", fullPage: true });

      await sso.getByRole("button", { name: "Remove sso" }).click();
      await expect(sso.getByRole("cell").nth(1)).toHaveText("Not set");
      await expect(sso.getByRole("cell").nth(2)).toHaveText("No");
    });

    test("sees the account's capabilities as set by the platform operator, with nothing to change", async ({ page }) => {
      await page.goto("/t/northwind/capabilities");
      await expect(capabilityRow(page, "reseller").getByRole("cell").nth(0)).toHaveText("Platform operator");
      await expect(page.locator("main form")).toHaveCount(0);
    });
  });

  test.describe("as the EMEA OU admin", () => {
    test.use({ storageState: storageStateOf("emeaAdmin") });

    test("cannot replay a capability action against an Americas organization: refused, nothing written", async ({ page, browser }) => {
      const americasId = await asOwner(browser, async (owner) => {
        await owner.goto("/t/orchard-health-systems/capabilities");
        return owner.locator('input[name="nodeId"]').first().inputValue();
      });

      await page.goto("/t/castellane-assurances/capabilities");
      const emeaId = await page.locator('input[name="nodeId"]').first().inputValue();
      const sso = capabilityRow(page, "sso");
      const posted = page.waitForRequest((request) => request.method() === "POST" && request.headers()["next-action"] !== undefined);
      await sso.getByRole("button", { name: "Set sso" }).click();
      const legitimate = await posted;
      await expect(sso.getByRole("status").filter({ hasText: "sso is set, with no expiry." })).toBeVisible();

      const forgedBody = legitimate.postDataBuffer()!.toString("utf8").replaceAll(emeaId, americasId);
      expect(forgedBody).toContain(americasId);
      const headers = legitimate.headers();
      const response = await page.request.post(legitimate.url(), {
        headers: { "next-action": headers["next-action"]!, "content-type": headers["content-type"]!, accept: "text/x-component" },
        data: Buffer.from(forgedBody, "utf8"),
      });
      expect(await response.text()).toContain("No such node, or you do not have access to it.");

      await asOwner(browser, async (owner) => {
        await owner.goto("/t/orchard-health-systems/capabilities");
        await expect(capabilityRow(owner, "sso").getByRole("cell").nth(1)).toHaveText("Not set");
        await owner.goto("/t/northwind/audit?action=action.capability.assign.denied");
        await expect(owner.getByRole("table", { name: "Audit events" })).toContainText("Emma Schulz");
      });
    });

    test("may not change the EMEA group's own capabilities, which come from outside their scope", async ({ page }) => {
      await page.goto("/t/emea/capabilities");
      await expect(capabilityRow(page, "flex").getByRole("cell").nth(2)).toHaveText("Yes, no expiry");
      await expect(page.locator("main form")).toHaveCount(0);
      await expectNoSeriousAxeViolations(page);
    });
  });

  test.describe("as a customer viewer", () => {
    test.use({ storageState: storageStateOf("customerViewer") });

    test("sees their organization's capabilities with no control that changes anything", async ({ page }) => {
      await page.goto("/t/adler-logistik/capabilities");
      await expect(capabilityRow(page, "flex").getByRole("cell").nth(2)).toHaveText("Yes, no expiry");
      await expect(page.locator("main form")).toHaveCount(0);
      await expect(page.locator("main").getByRole("button")).toHaveCount(0);
      await expectNoSeriousAxeViolations(page);
    });
  });
});
