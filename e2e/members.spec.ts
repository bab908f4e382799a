import { expect, test, type Page } from "@playwright/test";
import { totpCodeAt } from "@/lib/auth/totp";
import { storageStateOf } from "./personas";

// Mail goes to the outbox in these runs (no SMTP_URL): the person reads it at /dev/outbox.
async function openLatestMailLink(page: Page, recipient: string, path: "invite" | "reset"): Promise<void> {
  await page.goto("/dev/outbox");
  const mail = page.getByRole("article", { name: new RegExp(`^Mail to ${recipient.replace(/[.+]/g, "\\$&")}`) }).first();
  await mail.getByRole("link", { name: new RegExp(`/${path}/`) }).click();
}

test.describe("members and invitations", () => {
  test.use({ storageState: storageStateOf("providerOwner") });

  test("the owner invites a new customer user, who sets a password, enrols and lands in their organization", async ({ page, browser }) => {
    const email = `new.viewer.${Date.now()}@adler-logistik.example`;
    await page.goto("/t/adler-logistik/members");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Role").selectOption({ label: "Viewer" });
    await page.getByRole("button", { name: "Invite" }).click();
    await expect(page.getByRole("status").filter({ hasText: `Invitation sent to ${email}` })).toBeVisible();
    const invitations = page.getByRole("table", { name: "Invitations" });
    await expect(invitations.getByRole("row", { name: new RegExp(email) })).toContainText("Pending");

    const newcomer = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const invitee = await newcomer.newPage();
    await openLatestMailLink(invitee, email, "invite");
    await expect(invitee.getByRole("heading", { name: "Join Adler Logistik" })).toBeVisible();
    await invitee.getByLabel("Choose a password").fill("a long new password 42");
    await invitee.getByLabel("Repeat the password").fill("a long new password 42");
    await invitee.getByRole("button", { name: "Set password and accept" }).click();
    await invitee.getByTestId("totp-key").waitFor();
    const secret = (await invitee.getByTestId("totp-key").innerText()).replace(/\s+/g, "");
    await invitee.getByLabel("Code from your app").fill(totpCodeAt(secret, new Date()));
    await invitee.getByRole("button", { name: "Turn on two-step verification" }).click();
    await invitee.getByRole("button", { name: /I have saved them/ }).click();
    await expect(invitee).toHaveURL(/\/t\/adler-logistik\/tree$/);
    await newcomer.close();

    await page.reload();
    await expect(invitations.getByRole("row", { name: new RegExp(email) })).toContainText("Accepted");
    await expect(page.getByRole("table", { name: "Who has access here" })).toContainText(email);
  });

  test("an invitation link cannot be used again after it is withdrawn", async ({ page, browser }) => {
    const email = `withdrawn.${Date.now()}@baltic-freight-lines.example`;
    await page.goto("/t/baltic-freight-lines/members");
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Invite" }).click();
    const row = page.getByRole("table", { name: "Invitations" }).getByRole("row", { name: new RegExp(email) });
    await row.getByRole("button", { name: "Withdraw" }).click();
    await expect(row).toContainText("Withdrawn");

    const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const invitee = await other.newPage();
    await openLatestMailLink(invitee, email, "invite");
    await expect(invitee.getByRole("heading", { name: "This invitation cannot be used" })).toBeVisible();
    await other.close();
  });

  test("the owner sends a reset link; the user sets a new password and signs in with it", async ({ page, browser }) => {
    const email = "paul.ironwood@fabrikam-partners.example";
    await page.goto("/t/ironwood-carpentry/members");
    await page.getByRole("link", { name: "Paul Ironwood" }).click();
    await page.getByRole("button", { name: "Send password reset link" }).click();
    await expect(page.getByText("A reset link is on its way")).toBeVisible();

    const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const user = await other.newPage();
    await openLatestMailLink(user, email, "reset");
    await user.getByLabel("New password", { exact: true }).fill("brand new password 2026");
    await user.getByLabel("Repeat the new password").fill("brand new password 2026");
    await user.getByRole("button", { name: "Set new password" }).click();
    await expect(user).toHaveURL(/\/login/);
    await user.getByLabel("Email").fill(email);
    await user.getByLabel("Password").fill("brand new password 2026");
    await user.getByRole("button", { name: "Sign in" }).click();
    // Paul never signed in before: the new password leads on to enrolment, proving it was accepted.
    await expect(user).toHaveURL(/\/login\/enroll/);
    await other.close();
  });
});

test.describe("a customer viewer", () => {
  test.use({ storageState: storageStateOf("customerViewer") });

  test("sees who has access to their organization but cannot invite or manage anyone", async ({ page }) => {
    await page.goto("/t/adler-logistik/members");
    await expect(page.getByRole("heading", { name: "Who has access here" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Invite" })).toHaveCount(0);
    await page.getByRole("link", { name: "Rafael Costa" }).click();
    await expect(page.getByRole("heading", { name: "Rafael Costa" })).toBeVisible();
    await expect(page.getByRole("button", { name: /reset|sign out everywhere/i })).toHaveCount(0);
  });
});
