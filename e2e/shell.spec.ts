import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { storageStateOf } from "./personas";

async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => violation.id)).toEqual([]);
}

const switcher = (page: Page) => page.getByRole("dialog", { name: "Switch node" });

test.describe("the portal shell and node overview", () => {
  // Accessibility checks and full-page screenshots are slow on a shared two-core machine.
  test.describe.configure({ timeout: 90_000 });

  test.describe("as the provider owner", () => {
    test.use({ storageState: storageStateOf("providerOwner"), viewport: { width: 1280, height: 720 } });

    test("switches node by keyboard alone: Ctrl+K, type, arrows, Enter", async ({ page }) => {
      await page.goto("/t/northwind");
      await expect(page.getByRole("navigation", { name: "Sections" })).toBeVisible();
      const combobox = switcher(page).getByRole("combobox", { name: "Find a node" });
      // The shortcut listens once the page has hydrated, which the server-rendered navigation does not
      // show; Ctrl+K only ever opens the switcher, so pressing it again until it answers is safe.
      await expect(async () => {
        await page.keyboard.press("Control+k");
        await expect(combobox).toBeFocused({ timeout: 1_000 });
      }).toPass();
      await combobox.pressSequentially("Enterprise");
      const options = switcher(page).getByRole("option");
      await expect(options).toHaveCount(3);
      await expect(options.nth(0)).toHaveAttribute("aria-selected", "true");
      await combobox.press("ArrowDown");
      await expect(options.nth(1)).toHaveAttribute("aria-selected", "true");
      await expect(combobox).toHaveAttribute("aria-activedescendant", (await options.nth(1).getAttribute("id"))!);
      const region = (await options.nth(1).innerText()).match(/EMEA|Americas|APAC/)![0];
      await combobox.press("Enter");
      await expect(page).toHaveURL(new RegExp(`/t/${region.toLowerCase()}-enterprise$`));
      const breadcrumb = page.getByRole("navigation", { name: "Breadcrumb" });
      await expect(breadcrumb.getByRole("link", { name: region })).toBeVisible();
      await expect(breadcrumb.getByText("Enterprise")).toHaveAttribute("aria-current", "page");
      await expect(page.getByRole("heading", { level: 1, name: "Enterprise" })).toBeVisible();
    });

    test("chooses dark mode, which stays after a reload", async ({ page }) => {
      await page.goto("/t/northwind");
      await expect(page.getByRole("button", { name: "System" })).toHaveAttribute("aria-pressed", "true");
      await page.getByRole("button", { name: "Dark" }).click();
      await expect(page.locator("html")).toHaveClass(/\bdark\b/);
      await page.reload();
      await expect(page.locator("html")).toHaveClass(/\bdark\b/);
      await expect(page.getByRole("button", { name: "Dark" })).toHaveAttribute("aria-pressed", "true");
      await expectNoSeriousAxeViolations(page);
      await page.screenshot({ path: "test-results/screens/overview-dark.png", fullPage: true });
      await page.getByRole("button", { name: "Light" }).click();
      await expect(page.locator("html")).not.toHaveClass(/\bdark\b/);
    });

    test("sees the account's overview: owners, capabilities with expiry and recent events", async ({ page }) => {
      await page.goto("/t/northwind");
      await expect(page.getByRole("heading", { level: 1, name: "Northwind MSSP" })).toBeVisible();
      const owners = page.getByRole("list", { name: "Owners" });
      await expect(owners.getByRole("listitem").filter({ hasText: "Ava Thompson" })).toContainText("directly here");
      await expect(owners.getByRole("listitem").filter({ hasText: "Liam Carter" })).toBeVisible();
      const capabilities = page.getByRole("list", { name: "Capabilities" });
      await expect(capabilities.getByRole("listitem")).toHaveCount(6);
      await expect(capabilities.getByRole("listitem").filter({ hasText: "flex" })).toContainText("no expiry");
      const events = page.getByRole("table", { name: "Recent activity" });
      await expect(events.getByRole("row")).not.toHaveCount(1);
      await expect(page.getByRole("link", { name: "Open the audit log" })).toHaveAttribute("href", "/t/northwind/audit");
      await expect(page.getByText("Organizations in this subtree")).toBeVisible();
      await expectNoSeriousAxeViolations(page);
      await page.screenshot({ path: "test-results/screens/overview.png", fullPage: true });

      await page.goto("/t/adler-logistik");
      await expect(page.getByRole("list", { name: "Owners" }).getByRole("listitem").filter({ hasText: "Ava Thompson" })).toContainText(
        "inherited from Northwind MSSP",
      );
    });

    test("folds the sidebar away on a narrow screen, behind a Menu button", async ({ page }) => {
      await page.setViewportSize({ width: 600, height: 800 });
      await page.goto("/t/northwind");
      const sections = page.getByRole("navigation", { name: "Sections" });
      await expect(sections).toBeHidden();
      await page.getByRole("button", { name: "Menu" }).click();
      await expect(sections).toBeVisible();
      await sections.getByRole("link", { name: "Capabilities" }).click();
      await expect(page).toHaveURL(/\/t\/northwind\/capabilities$/);
      await expect(sections).toBeHidden();
    });
  });

  test.describe("as the EMEA OU admin", () => {
    test.use({ storageState: storageStateOf("emeaAdmin") });

    test("finds only EMEA nodes in the switcher", async ({ page, playwright }) => {
      await page.goto("/t/emea");
      await page.getByRole("button", { name: /Switch node/ }).click();
      const combobox = switcher(page).getByRole("combobox", { name: "Find a node" });
      await combobox.fill("Enterprise");
      await expect(switcher(page).getByRole("option")).toHaveCount(1);
      await expect(switcher(page).getByRole("option")).toContainText("EMEA");
      await combobox.fill("Orchard");
      await expect(switcher(page).getByRole("status")).toContainText("No node you may see matches");
      await expect(switcher(page).getByRole("option")).toHaveCount(0);
      await combobox.press("Escape");
      await expect(switcher(page)).toBeHidden();

      // The search behind it answers the same to a direct request, and nothing to someone signed out.
      const direct = await page.request.get("/node-search?q=region:americas");
      expect(await direct.json()).toEqual({ items: [] });
      const signedOut = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL, storageState: { cookies: [], origins: [] } });
      expect((await signedOut.get("/node-search?q=EMEA")).status()).toBe(401);
      await signedOut.dispose();
    });

    test("gets not-found for an Americas node, inside a frame that still lets them switch", async ({ page }) => {
      for (const slug of ["americas", "orchard-health-systems", "no-such-node"]) {
        const response = await page.goto(`/t/${slug}`);
        expect(response?.status()).toBe(404);
        await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
        await expect(page.getByText("Americas")).toHaveCount(0);
      }
      await expectNoSeriousAxeViolations(page);
      await page.getByRole("button", { name: /Switch node/ }).click();
      await switcher(page).getByRole("combobox", { name: "Find a node" }).fill("Adler");
      await expect(switcher(page).getByRole("option")).toHaveText([/Adler Logistik/]);
      await switcher(page).getByRole("combobox", { name: "Find a node" }).press("Enter");
      await expect(page).toHaveURL(/\/t\/adler-logistik$/);
    });

    test("sees the EMEA overview with the links of what they may use", async ({ page }) => {
      await page.goto("/t/emea");
      const sections = page.getByRole("navigation", { name: "Sections" });
      await expect(sections.getByRole("link")).toHaveText(["Overview", "Tenant tree", "Members", "Roles and profiles", "Capabilities", "Consumption", "Audit log"]);
      await expect(page.getByRole("list", { name: "Owners" }).getByRole("listitem").filter({ hasText: "Ava Thompson" })).toContainText("inherited");
      await expect(page.getByRole("region", { name: "Recent activity" })).toBeVisible();
      await expectNoSeriousAxeViolations(page);
    });
  });

  test.describe("as a customer viewer", () => {
    test.use({ storageState: storageStateOf("customerViewer") });

    test("sees their organization's overview with nothing to change and no audit", async ({ page }) => {
      await page.goto("/t/adler-logistik");
      await expect(page.getByRole("heading", { level: 1, name: "Adler Logistik" })).toBeVisible();
      const sections = page.getByRole("navigation", { name: "Sections" });
      await expect(sections.getByRole("link")).toHaveText(["Overview", "Tenant tree", "Members", "Roles and profiles", "Capabilities", "Consumption"]);
      await expect(page.getByRole("table", { name: "Recent activity" })).toHaveCount(0);
      await expect(page.locator("main form")).toHaveCount(0);
      await expect(page.locator("main").getByRole("button")).toHaveCount(0);
      await expectNoSeriousAxeViolations(page);
    });
  });
});
