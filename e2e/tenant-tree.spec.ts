import { expect, test } from "@playwright/test";
import { storageStateOf } from "./personas";

test.describe("the provider owner", () => {
  test.use({ storageState: storageStateOf("providerOwner") });

  test("sees the whole Northwind tree", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/t\/northwind\/tree$/);
    const tree = page.getByRole("navigation", { name: "Tenant tree" });
    for (const name of ["Northwind MSSP", "Regions", "EMEA", "Americas", "APAC", "Fabrikam Partners", "Adler Logistik", "Kiwi Orchards", "Ironwood Carpentry"]) {
      await expect(tree.getByRole("link", { name, exact: true })).toBeVisible();
    }
    await expect(page.getByText("Everything you can see: 46 organizations.")).toBeVisible();
  });

  test("follows breadcrumbs from the account down to an organization", async ({ page }) => {
    await page.goto("/t/adler-logistik");
    const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
    await expect(crumbs.getByRole("listitem")).toHaveText(["Northwind MSSP/", "Regions/", "EMEA/", "Enterprise/", "Adler Logistik"]);
    await expect(page.getByRole("heading", { level: 1, name: "Adler Logistik" })).toBeVisible();
  });
});

test.describe("the EMEA OU admin", () => {
  test.use({ storageState: storageStateOf("emeaAdmin") });

  test("sees only the EMEA subtree", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/t\/emea\/tree$/);
    const tree = page.getByRole("navigation", { name: "Tenant tree" });
    await expect(tree.getByRole("link", { name: "EMEA", exact: true })).toBeVisible();
    await expect(tree.getByRole("link", { name: "Adler Logistik" })).toBeVisible();
    await expect(tree.getByRole("link", { name: "Americas", exact: true })).toHaveCount(0);
    await expect(tree.getByRole("link", { name: "Northwind MSSP" })).toHaveCount(0);
    await expect(page.getByText("Everything you can see: 14 organizations.")).toBeVisible();
  });

  test("finds a node outside the subtree not found, like a node that does not exist", async ({ page }) => {
    for (const slug of ["americas", "pioneer-rail", "no-such-node"]) {
      const response = await page.goto(`/t/${slug}/tree`);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    }
  });
});

test.describe("a customer viewer", () => {
  test.use({ storageState: storageStateOf("customerViewer") });

  test("sees only their own organization", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/t\/adler-logistik\/tree$/);
    const tree = page.getByRole("navigation", { name: "Tenant tree" });
    await expect(tree.getByRole("link")).toHaveCount(1);
    await expect(tree.getByRole("link", { name: "Adler Logistik" })).toBeVisible();
  });
});
