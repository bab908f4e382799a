import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, enterPassword, nextCode, PERSONAS, signIn } from "./personas";

test.describe("signing in", () => {
  // Codes are single-use: a second sign-in of the same user waits for the app's next 30-second code.
  test.describe.configure({ timeout: 90_000 });

  test("a first sign-in enrols an authenticator, shows ten recovery codes and opens the portal", async ({ page }) => {
    const codes = await signIn(page, PERSONAS.accountViewer);
    expect(codes).toHaveLength(10);
    await expect(page).toHaveURL(/\/t\/northwind\/tree$/);
  });

  test("a recovery code works once, in place of the app's code", async ({ page, context }) => {
    const [firstCode] = await signIn(page, PERSONAS.accountManager);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    for (const attempt of ["accepted", "refused"] as const) {
      await context.clearCookies();
      await enterPassword(page, PERSONAS.accountManager);
      await page.getByLabel("Authentication code").fill(firstCode!);
      await page.getByRole("button", { name: "Verify" }).click();
      if (attempt === "accepted") await expect(page).toHaveURL(/\/t\/northwind\/tree$/);
      else await expect(page.getByRole("alert").filter({ hasText: "not valid" })).toBeVisible();
    }
  });

  test("a session that passed only the password step can do nothing but finish the second step", async ({ page }) => {
    await enterPassword(page, PERSONAS.accountViewer);
    await expect(page).toHaveURL(/\/login\/verify/);
    await page.goto("/t/northwind/tree");
    await expect(page).toHaveURL(/\/login\/verify/);
    await page.getByLabel("Authentication code").fill(await nextCode(PERSONAS.accountViewer));
    await page.getByRole("button", { name: "Verify" }).click();
    await expect(page).toHaveURL(/\/t\/northwind\/tree$/);
  });

  test("after sign-in it goes back to the page asked for, and never off the portal", async ({ page }) => {
    await signIn(page, PERSONAS.secondOwner, "/t/adler-logistik");
    await expect(page).toHaveURL(/\/t\/adler-logistik$/);
    for (const evil of ["//evil.example", "/\\evil.example", "https://portal.evil.example", "javascript:alert(1)"]) {
      // Signed in, the sign-in step sends on to `next` at once: it must stay on the portal.
      await page.goto(`/login/verify?next=${encodeURIComponent(evil)}`);
      await expect(page).toHaveURL(/^http:\/\/localhost:\d+\/t\/northwind\/tree$/);
    }
  });

  test("too many wrong passwords answer 429 with Retry-After, and the form says how long to wait", async ({ page, request }) => {
    const email = "mei.tanaka@northwind.example";
    for (let attempt = 1; attempt <= 5; attempt++) {
      const wrong = await request.post("/login/password", { form: { email, password: `wrong password ${attempt}` } });
      expect(wrong.status()).toBe(401);
    }
    const refused = await request.post("/login/password", { form: { email, password: DEMO_PASSWORD } });
    expect(refused.status()).toBe(429);
    const retryAfter = Number(refused.headers()["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    await enterPassword(page, email);
    await expect(page.getByRole("alert").filter({ hasText: "Too many attempts" })).toHaveText(/Try again in 15 minutes\./);
  });

  test("a wrong password is refused with a clear message", async ({ page }) => {
    await enterPassword(page, PERSONAS.providerOwner, "not-the-password");
    await expect(page.getByRole("alert").filter({ hasText: "not correct" })).toHaveText("The email or password is not correct.");
    await expect(page).toHaveURL(/\/login$/);
  });

  test("a disabled user cannot sign in", async ({ page }) => {
    await enterPassword(page, PERSONAS.disabledUser);
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

  test("signing out ends the session on the server: the old cookie no longer works", async ({ page, context }) => {
    await signIn(page, PERSONAS.helpdesk);
    await expect(page).toHaveURL(/\/t\/northwind\/tree$/);
    const signedIn = await context.cookies();
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login/);
    await context.addCookies(signedIn);
    await page.goto("/t/northwind/tree");
    await expect(page).toHaveURL(/\/login/);
  });
});
