import { expect, test } from "@playwright/test";
import { PERSONAS, signIn, signInToPortal } from "./personas";

test.describe("tenant tree", () => {
  test("the provider owner signs in and sees the whole Northwind tree", async ({ page }) => {
    await signIn(page, PERSONAS.providerOwner);
    await expect(page).toHaveURL(/\/t\/northwind\/tree$/);
    const tree = page.getByRole("navigation", { name: "Tenant tree" });
    for (const name of ["Northwind MSSP", "Regions", "EMEA", "Americas", "APAC", "Fabrikam Partners", "Adler Logistik", "Kiwi Orchards", "Ironwood Carpentry"]) {
      await expect(tree.getByRole("link", { name, exact: true })).toBeVisible();
    }
    await expect(page.getByText("Everything you can see: 46 organizations.")).toBeVisible();
  });

  test("the EMEA OU admin sees only the EMEA subtree", async ({ page }) => {
    await signIn(page, PERSONAS.emeaAdmin);
    await expect(page).toHaveURL(/\/t\/emea\/tree$/);
    const tree = page.getByRole("navigation", { name: "Tenant tree" });
    await expect(tree.getByRole("link", { name: "EMEA", exact: true })).toBeVisible();
    await expect(tree.getByRole("link", { name: "Adler Logistik" })).toBeVisible();
    await expect(tree.getByRole("link", { name: "Americas", exact: true })).toHaveCount(0);
    await expect(tree.getByRole("link", { name: "Northwind MSSP" })).toHaveCount(0);
    await expect(page.getByText("Everything you can see: 14 organizations.")).toBeVisible();
  });

  test("a node outside the OU admin's subtree is not found, like a node that does not exist", async ({ page }) => {
    await signIn(page, PERSONAS.emeaAdmin);
    await expect(page).toHaveURL(/\/t\/emea\/tree$/);
    for (const slug of ["americas", "pioneer-rail", "no-such-node"]) {
      const response = await page.goto(`/t/${slug}/tree`);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    }
  });

  test("a customer viewer sees only their own organization", async ({ page }) => {
    await signIn(page, PERSONAS.customerViewer);
    await expect(page).toHaveURL(/\/t\/adler-logistik\/tree$/);
    const tree = page.getByRole("navigation", { name: "Tenant tree" });
    await expect(tree.getByRole("link")).toHaveCount(1);
    await expect(tree.getByRole("link", { name: "Adler Logistik" })).toBeVisible();
  });

  test("breadcrumbs show the path from the owner's account to an organization", async ({ page }) => {
    await signInToPortal(page, PERSONAS.providerOwner);
    await page.goto("/t/adler-logistik");
    const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
    await expect(crumbs.getByRole("listitem")).toHaveText(["Northwind MSSP/", "Regions/", "EMEA/", "Enterprise/", "Adler Logistik"]);
    await expect(page.getByRole("heading", { level: 1, name: "Adler Logistik" })).toBeVisible();
  });
});

test.describe("sign-in", () => {
  test("a wrong password is refused with a clear message", async ({ page }) => {
    await signIn(page, PERSONAS.providerOwner, "not-the-password");
    await expect(page.getByRole("alert").filter({ hasText: "not correct" })).toHaveText("The email or password is not correct.");
    await expect(page).toHaveURL(/\/login/);
  });

  test("a disabled user cannot sign in", async ({ page }) => {
    await signIn(page, PERSONAS.disabledUser);
    await expect(page.getByRole("alert").filter({ hasText: "not correct" })).toHaveText("The email or password is not correct.");
  });

  test("an empty form shows field errors next to the fields", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Enter your email address.")).toBeVisible();
    await expect(page.getByText("Enter your password.")).toBeVisible();
  });

  test("a signed-out visitor is sent to the sign-in page", async ({ page }) => {
    await page.goto("/t/northwind/tree");
    await expect(page).toHaveURL(/\/login/);
  });

  test("signing out ends the session", async ({ page }) => {
    await signIn(page, PERSONAS.providerOwner);
    await expect(page).toHaveURL(/\/t\/northwind\/tree$/);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/t/northwind/tree");
    await expect(page).toHaveURL(/\/login/);
  });
});
