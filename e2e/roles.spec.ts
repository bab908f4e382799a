import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { storageStateOf } from "./personas";

async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  expect(violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical").map((violation) => violation.id)).toEqual([]);
}

const customProfiles = (page: Page) => page.getByRole("table", { name: "Custom profiles" });

test.describe("roles and profiles", () => {
  // Accessibility checks are slow on a shared two-core machine.
  test.describe.configure({ timeout: 90_000 });

  test.describe("as the provider owner", () => {
    test.use({ storageState: storageStateOf("providerOwner") });

    test("reads the built-in roles and where the helpdesk profile is used", async ({ page }) => {
      await page.goto("/t/northwind/roles");
      await expect(page.getByRole("heading", { level: 1, name: "Roles and profiles" })).toBeVisible();
      const viewer = page.getByRole("group", { name: "Permissions of Viewer" });
      await expect(viewer).toBeHidden();
      await page.getByText("Viewer", { exact: true }).click();
      await expect(viewer).toBeVisible();
      await expect(viewer.getByRole("listitem")).toHaveText(["tenant.read", "member.read", "asset.read", "consumption.read", "policy.read"]);
      await expect(customProfiles(page).getByRole("row", { name: /Helpdesk Operator/ })).toContainText("1 assignment on Northwind MSSP");
      await expectNoSeriousAxeViolations(page);
      await page.screenshot({ path: "test-results/screens/roles.png", fullPage: true });
    });

    test("creates, edits and deletes a custom profile, with the server's field errors next to the fields", async ({ page }) => {
      const name = `Billing reader ${Date.now()}`;
      await page.goto("/t/northwind/roles");
      await page.getByRole("link", { name: "New profile" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "New permission profile" })).toBeVisible();
      await expectNoSeriousAxeViolations(page);

      await page.getByLabel("Description").fill("Reads the bill");
      await page.getByRole("button", { name: "Create profile" }).click();
      await expect(page.getByRole("main").getByRole("alert")).toHaveText("Check the highlighted fields.");
      await expect(page.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
      await expect(page.getByLabel("Name", { exact: true })).toHaveAccessibleDescription("Enter a name.");
      await expect(page.getByRole("group", { name: "Permissions" })).toHaveAccessibleDescription("Choose at least one permission.");
      await expect(page.getByLabel("Description")).toHaveValue("Reads the bill");

      await page.getByLabel("Name", { exact: true }).fill(name);
      await page.getByRole("group", { name: "Consumption and billing" }).getByLabel("billing.read").check();
      await page.getByLabel("tenant.read").check();
      await page.getByRole("button", { name: "Create profile" }).click();
      await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
      await expect(page.getByText("Nobody holds this profile.")).toBeVisible();
      await expect(page.getByLabel("billing.read")).toBeChecked();
      await expectNoSeriousAxeViolations(page);

      await page.getByLabel("Name", { exact: true }).fill(`${name} edited`);
      await page.getByLabel("billing.read").uncheck();
      await page.getByLabel("consumption.read").check();
      await page.getByRole("button", { name: "Save profile" }).click();
      await expect(page.getByRole("status").filter({ hasText: `${name} edited is saved.` })).toBeVisible();
      await page.reload();
      await expect(page.getByLabel("consumption.read")).toBeChecked();
      await expect(page.getByLabel("billing.read")).not.toBeChecked();

      await page.getByRole("button", { name: "Delete profile" }).click();
      await expect(page).toHaveURL(/\/t\/northwind\/roles$/);
      await expect(customProfiles(page).getByRole("row", { name: new RegExp(name) })).toHaveCount(0);
    });

    test("is told why a profile still assigned cannot be deleted", async ({ page }) => {
      await page.goto("/t/northwind/roles");
      await customProfiles(page).getByRole("link", { name: "Helpdesk Operator" }).click();
      await expect(page.getByRole("link", { name: "Northwind MSSP" })).toBeVisible();
      await page.getByRole("button", { name: "Delete profile" }).click();
      await expect(page.getByRole("status").filter({ hasText: "This profile is still assigned 1 time(s); change those assignments first." })).toBeVisible();
    });
  });

  test.describe("as the EMEA OU admin", () => {
    test.use({ storageState: storageStateOf("emeaAdmin") });

    test("reads the roles but cannot create or edit profiles, which live on the account", async ({ page }) => {
      await page.goto("/t/emea/roles");
      await expect(page.getByRole("link", { name: "New profile" })).toHaveCount(0);
      await customProfiles(page).getByRole("link", { name: "Helpdesk Operator" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Helpdesk Operator" })).toBeVisible();
      await expect(page.getByText("1 more assignment(s) on nodes you may not see.")).toBeVisible();
      await expect(page.locator("main form")).toHaveCount(0);
      await expectNoSeriousAxeViolations(page);
      await page.goto("/t/emea/roles/new");
      await expect(page.getByRole("heading", { level: 1, name: "Not found" })).toBeVisible();
      await expect(page.getByRole("button", { name: "Create profile" })).toHaveCount(0);
    });
  });

  test.describe("as a customer viewer", () => {
    test.use({ storageState: storageStateOf("customerViewer") });

    test("reads the roles with no control that changes anything", async ({ page }) => {
      await page.goto("/t/adler-logistik/roles");
      await expect(page.getByRole("heading", { level: 2, name: "Built-in roles" })).toBeVisible();
      await expect(page.getByRole("link", { name: "New profile" })).toHaveCount(0);
      await expect(page.locator("main form")).toHaveCount(0);
      await expect(page.locator("main").getByRole("button")).toHaveCount(0);
      await expectNoSeriousAxeViolations(page);
    });
  });
});
