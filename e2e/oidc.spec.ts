import { expect, test, type Browser, type Page } from "@playwright/test";
import { startTestIdp, type TestIdp } from "./oidc-provider";
import { storageStateOf } from "./personas";

// A real OpenID Connect provider, started here on the loopback, signs people in to the Northwind account.
const SSO_LOGIN = "kim.sso";
const SSO_EMAIL = "kim.sso@northwind-staff.example";

async function asProviderOwner(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ storageState: storageStateOf("providerOwner") });
  return context.newPage();
}

/** Signs in through SSO from the sign-in page; the IdP asks for a login only when it has no session yet. */
async function signInWithSso(page: Page, idp: TestIdp): Promise<void> {
  await page.goto("/login");
  await page.getByRole("link", { name: "Sign in with single sign-on" }).click();
  await page.getByLabel("Account short name").fill("northwind");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL((url) => url.origin === idp.issuer || url.pathname.startsWith("/t/") || url.pathname === "/");
  if (new URL(page.url()).origin === idp.issuer) {
    await page.getByPlaceholder("Enter any login").fill(SSO_LOGIN);
    await page.getByPlaceholder("and password").fill("anything: the IdP checks this, not Arbor");
    await page.getByRole("button", { name: "Sign-in" }).click();
  }
  await page.waitForURL((url) => url.origin !== idp.issuer && !url.pathname.startsWith("/api/auth/"));
}

test.describe("single sign-on through the account's identity provider", () => {
  test.describe.configure({ mode: "serial", timeout: 90_000 });
  let idp: TestIdp;

  test.beforeAll(async ({ browser }) => {
    // The IdP registers the callback URL the settings page shows, as an administrator would copy it.
    const page = await asProviderOwner(browser);
    await page.goto("/t/northwind/settings/sso");
    idp = await startTestIdp((await page.getByTestId("callback-url").innerText()).trim());
    await page.context().close();
  });
  test.afterAll(async () => idp?.close());

  test("the provider owner configures the IdP and a mapping rule on the settings page", async ({ browser }) => {
    const page = await asProviderOwner(browser);
    await page.goto("/t/northwind");
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Single sign-on" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Single sign-on" })).toBeVisible();
    await expect(page.getByTestId("callback-url")).toHaveText(/^http:\/\/localhost:\d+\/api\/auth\/callback\/idp-[0-9a-f-]{36}$/);

    const save = async (fields: { issuer: string; secret: string }) => {
      await page.getByLabel("Issuer URL").fill(fields.issuer);
      await page.getByLabel("Client id").fill(idp.clientId);
      await page.getByLabel("Client secret").fill(fields.secret);
      await page.getByLabel("Roles claim").fill("roles");
      await page.getByRole("button", { name: "Save settings" }).click();
    };
    await save({ issuer: "http://idp.example.com", secret: idp.clientSecret });
    await expect(page.getByText(/^Use the IdP's https:\/\/ issuer URL/)).toBeVisible();
    await save({ issuer: idp.issuer, secret: "" });
    await expect(page.getByText("Enter the client secret.", { exact: true })).toBeVisible();
    await save({ issuer: idp.issuer, secret: idp.clientSecret });
    await expect(page.getByRole("status")).toHaveText("Saved.");
    await expect(page.getByText(/Status:\s*on/)).toBeVisible();
    await expect(page.getByLabel("Client secret")).toHaveValue("");

    const rule = page.getByRole("form", { name: "Add a rule" });
    await rule.getByLabel("Claim value").fill("emea-viewer");
    await rule.getByLabel("Node").selectOption({ label: "Regions / EMEA" });
    await rule.getByLabel("Role").selectOption({ label: "Viewer" });
    await rule.getByRole("button", { name: "Add rule" }).click();
    const rules = page.getByRole("table", { name: "Mapping rules" });
    const row = rules.getByRole("row").filter({ hasText: "emea-viewer" });
    await expect(row.getByRole("cell")).toHaveText(["emea-viewer", "EMEA", "Viewer", "Remove"]);
    await page.screenshot({ path: test.info().outputPath("sso-settings.png"), fullPage: true });
    await page.context().close();
  });

  test("a new user signs in through the IdP and lands with the mapped role", async ({ browser }) => {
    idp.setClaims(SSO_LOGIN, { email: SSO_EMAIL, email_verified: true, name: "Kim Sso", roles: ["emea-viewer"] });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto("/login");
    await page.screenshot({ path: test.info().outputPath("login.png"), fullPage: true });
    await signInWithSso(page, idp);
    await expect(page).toHaveURL(/\/t\/emea\/tree$/);
    const tree = page.getByRole("tree", { name: "Tenant tree" });
    await expect(tree.getByRole("treeitem", { name: "EMEA", exact: true })).toHaveAttribute("aria-expanded", "true");
    await expect(tree.getByRole("treeitem", { name: "Enterprise", exact: true })).toBeVisible();
    await expect(tree.getByRole("treeitem", { name: "Americas", exact: true })).toHaveCount(0);
    await expect(page.getByText("Kim Sso")).toBeVisible();

    // The IdP did the second step: no TOTP for its users. Signing out ends the Arbor session only.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);

    idp.setClaims(SSO_LOGIN, { email: SSO_EMAIL, email_verified: true, name: "Kim Sso", roles: [] });
    await signInWithSso(page, idp);
    await expect(page.getByRole("heading", { name: "No access yet" })).toBeVisible();
    await expect(page.getByText(`You are signed in as ${SSO_EMAIL}`)).toBeVisible();
    await page.goto("/t/emea/tree");
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await context.close();
  });

  test("an unknown short name gets a clear message, and no IdP", async ({ page }) => {
    await page.goto("/login/sso");
    await page.getByLabel("Account short name").fill("no-such-account");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "No account with single sign-on goes by this short name" })).toBeVisible();
    await page.screenshot({ path: test.info().outputPath("sso-unknown-account.png"), fullPage: true });
    await expect(page).toHaveURL(/\/login\/sso/);
  });

  test("a refused sign-in comes back to the sign-in page with the reason", async ({ browser }) => {
    // The IdP vouches for an email a local Arbor user already has: Arbor does not hand that user over.
    idp.setClaims("impostor", { email: "ava.thompson@northwind.example", name: "Not Ava", roles: ["emea-viewer"] });
    const page = await (await browser.newContext()).newPage();
    await page.goto("/login/sso");
    await page.getByLabel("Account short name").fill("northwind");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByPlaceholder("Enter any login").fill("impostor");
    await page.getByPlaceholder("and password").fill("x");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await expect(page).toHaveURL(/\/login\?error=sso-email-in-use/);
    await expect(page.getByRole("alert").filter({ hasText: "already belongs to another Arbor user" })).toBeVisible();
    await page.screenshot({ path: test.info().outputPath("login-sso-refused.png"), fullPage: true });
    await page.context().close();
  });

  test("cancelling at the IdP comes back to the sign-in page, signed out", async ({ page }) => {
    await page.goto("/login/sso");
    await page.getByLabel("Account short name").fill("northwind");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("link", { name: "[ Cancel ]" }).click();
    await expect(page).toHaveURL(/\/login\?/);
    await expect(page.getByRole("alert").filter({ hasText: "Single sign-on did not complete" })).toBeVisible();
    await page.goto("/t/emea/tree");
    await expect(page).toHaveURL(/\/login/);
  });
});

test.describe("the single sign-on settings", () => {
  test.use({ storageState: storageStateOf("emeaAdmin") });

  test("are not found for an OU admin, and not offered in the navigation", async ({ page }) => {
    await page.goto("/t/emea");
    await expect(page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Single sign-on" })).toHaveCount(0);
    const response = await page.goto("/t/northwind/settings/sso");
    expect(response?.status()).toBe(404);
  });
});
