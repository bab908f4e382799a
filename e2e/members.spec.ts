import AxeBuilder from "@axe-core/playwright";
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
    await page.goto("/t/adler-logistik/members?tab=invitations");
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
    await page.getByRole("link", { name: "Who has access here" }).click();
    await expect(page.getByRole("table", { name: "Who has access here" })).toContainText(email);
  });

  test("an invitation link cannot be used again after it is withdrawn", async ({ page, browser }) => {
    const email = `withdrawn.${Date.now()}@baltic-freight-lines.example`;
    await page.goto("/t/baltic-freight-lines/members?tab=invitations");
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
    await page.goto("/t/adler-logistik/members?tab=invitations");
    await expect(page.getByRole("heading", { name: "Invitations" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Invite" })).toHaveCount(0);
    await page.getByRole("link", { name: "Who has access here" }).click();
    await expect(page.getByRole("heading", { name: "Who has access here" })).toBeVisible();
    await page.getByRole("link", { name: "Rafael Costa" }).click();
    await expect(page.getByRole("heading", { name: "Rafael Costa" })).toBeVisible();
    await expect(page.getByRole("button", { name: /reset|sign out everywhere/i })).toHaveCount(0);
  });
});

/** No serious or critical accessibility violation on the page as it is now. */
async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`)).toEqual([]);
}

test.describe("users and access, as the provider owner", () => {
  test.use({ storageState: storageStateOf("providerOwner") });

  test("sorts, filters and pages the members of a region", async ({ page }) => {
    test.slow(); // each axe pass over a page of members takes seconds on a shared machine
    await page.goto("/t/emea/members");
    const table = page.getByRole("table", { name: "Members" });
    await expect(table.getByRole("columnheader", { name: /Name/ })).toHaveAttribute("aria-sort", "ascending");
    await expectAccessible(page);

    await table.getByRole("button", { name: /Name/ }).click();
    await expect(page).toHaveURL(/sort=name&dir=desc/);
    await expect(table.getByRole("columnheader", { name: /Name/ })).toHaveAttribute("aria-sort", "descending");
    const names = await table.getByRole("row").locator("td:nth-child(2)").allInnerTexts();
    // The database orders names by code point (C collation), as this comparison does.
    expect(names).toEqual([...names].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));

    await page.getByRole("navigation", { name: "Pages" }).getByLabel("Rows per page").selectOption("25");
    await expect(page.getByText(/^1–25 of \d+ · page 1 of 2$/)).toBeVisible();
    await page.getByRole("button", { name: "Next page" }).click();
    await expect(page.getByText(/^26–\d+ of \d+ · page 2 of 2$/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Next page" })).toBeDisabled();

    // Users only: other specs may have disabled an API client with access here.
    await page.getByLabel("Status").selectOption({ label: "Disabled" });
    await page.getByLabel("Kind").selectOption({ label: "Users" });
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(table.getByRole("row")).toHaveCount(2);
    await expect(table).toContainText("Oscar Lindqvist");
    await expect(page.getByText("1–1 of 1 · page 1 of 1")).toBeVisible();

    await page.goto("/t/emea/members?q=weber");
    await expect(table.getByRole("row", { name: /Hannah Weber/ })).toContainText("None here; 1 below");
  });

  test("assigns a role in the dialog, changes it with an expiry and revokes it", async ({ page }) => {
    test.slow(); // each axe pass over a page of members takes seconds on a shared machine
    await page.goto("/t/adler-logistik/members?q=sofia.martins");
    const row = page.getByRole("table", { name: "Members" }).getByRole("row", { name: /Sofia Martins/ });
    await expect(row).toContainText("Manager inherited from Northwind MSSP");

    await row.getByRole("button", { name: "Assign role to Sofia Martins on Adler Logistik" }).click();
    const dialog = page.getByRole("dialog", { name: "Assign role to Sofia Martins on Adler Logistik" });
    await expect(dialog.getByLabel("Role").locator("option")).toContainText(["Viewer", "Manager", "Owner"]);
    await expectAccessible(page);
    await dialog.getByLabel("Role").selectOption({ label: "Viewer" });
    await dialog.getByRole("button", { name: "Assign role" }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toContainText("Viewer direct");

    await row.getByRole("button", { name: "Change role of Sofia Martins on Adler Logistik" }).click();
    const change = page.getByRole("dialog", { name: "Change role of Sofia Martins on Adler Logistik" });
    await change.getByLabel("Expires on (optional)").fill("2020-01-01");
    await change.getByRole("button", { name: "Save role" }).click();
    await expect(change.getByText("The expiry must be in the future.")).toBeVisible();
    await expect(change.getByLabel("Expires on (optional)")).toHaveAttribute("aria-invalid", "true");
    await change.getByLabel("Role").selectOption({ label: "Manager" });
    await change.getByLabel("Expires on (optional)").fill("2030-06-30");
    await change.getByRole("button", { name: "Save role" }).click();
    await expect(change).toBeHidden();
    await expect(row).toContainText("Manager direct, until 2030-06-30");

    await row.getByRole("button", { name: "Change role of Sofia Martins on Adler Logistik" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke this role" }).click();
    await expect(page.getByRole("dialog")).toBeHidden();
    await expect(row).toContainText("Manager inherited from Northwind MSSP");
    await expect(row.getByRole("button", { name: "Assign role to Sofia Martins on Adler Logistik" })).toBeVisible();
  });

  test("bulk-removes access, and a refused selection changes nothing and says why", async ({ page }) => {
    await page.goto("/t/baltic-freight-lines/members?q=example&pageSize=100");
    const table = page.getByRole("table", { name: "Members" });
    const bulk = page.getByRole("region", { name: "Bulk actions" });
    await table.getByRole("checkbox", { name: "Select Mateo Silva" }).check();
    await table.getByRole("checkbox", { name: "Select Ava Thompson" }).check();
    await bulk.getByRole("button", { name: "Remove access here" }).click();
    await bulk.getByRole("button", { name: "Remove 2 from Baltic Freight Lines" }).click();
    await expect(bulk.getByRole("list", { name: "Refused members" })).toContainText("Ava Thompson: Has no role on Baltic Freight Lines itself");
    await expect(table.getByRole("row", { name: /Mateo Silva/ })).toContainText("Viewer direct");

    await table.getByRole("checkbox", { name: "Select Ava Thompson" }).uncheck();
    await table.getByRole("checkbox", { name: "Select Sienna Rossi" }).check();
    await bulk.getByRole("button", { name: "Remove access here" }).click();
    await bulk.getByRole("button", { name: "Remove 2 from Baltic Freight Lines" }).click();
    await expect(bulk.getByText("Access removed for 2 members.")).toBeVisible();
    await expect(table.getByRole("row", { name: /Mateo Silva|Sienna Rossi/ })).toHaveCount(0);
  });

  test("explains why a member holds a permission on a node, or why not", async ({ page }) => {
    test.slow(); // each axe pass over a page of members takes seconds on a shared machine
    await page.goto("/t/adler-logistik/members?q=hannah");
    await page.getByRole("table", { name: "Members" }).getByRole("link", { name: "Hannah Weber" }).click();
    await expect(page.getByRole("table", { name: "Assignments" })).toContainText("Northwind MSSP › Regions › EMEA › Enterprise › Adler Logistik");
    const tool = page.getByRole("search", { name: "Explain access" });
    await tool.getByLabel("Permission").selectOption("member.read");
    await tool.getByLabel("Node").selectOption({ label: "Northwind MSSP › Regions › EMEA › Enterprise › Adler Logistik" });
    await tool.getByRole("button", { name: "Explain" }).click();
    const answer = page.getByRole("status", { name: "Explanation" });
    await expect(answer).toContainText("Allowed: Hannah Weber holds member.read on Adler Logistik.");
    await expect(answer).toContainText("Granted by the Viewer role on Adler Logistik (directly), source direct, with no expiry.");
    await expectAccessible(page);

    await tool.getByLabel("Permission").selectOption("role.assign");
    await tool.getByRole("button", { name: "Explain" }).click();
    await expect(answer).toContainText("Denied: Hannah Weber does not hold role.assign on Adler Logistik.");
  });

  test("the who-has-access and invitations tabs pass the accessibility check", async ({ page }) => {
    test.slow(); // each axe pass over a page of members takes seconds on a shared machine
    await page.goto("/t/adler-logistik/members?tab=access");
    await expect(page.getByRole("table", { name: "Who has access here" })).toContainText("Hannah Weber");
    await expectAccessible(page);
    await page.goto("/t/adler-logistik/members?tab=invitations");
    await expect(page.getByRole("form", { name: /invite/i }).or(page.getByRole("heading", { name: "Invite someone" }))).toBeVisible();
    await expectAccessible(page);
  });
});

test.describe("users and access, as the EMEA admin", () => {
  test.use({ storageState: storageStateOf("emeaAdmin") });

  test("sees the region's members with the controls their role allows", async ({ page }) => {
    test.slow(); // each axe pass over a page of members takes seconds on a shared machine
    await page.goto("/t/emea/members");
    await expect(page.getByRole("table", { name: "Members" })).toContainText("Emma Schulz");
    await expect(page.getByRole("button", { name: "Change role of Oscar Lindqvist on EMEA" })).toBeVisible();
    await expect(page.getByRole("button", { name: /(Change role of|Assign role to) Emma Schulz/ })).toHaveCount(0);
    await expectAccessible(page);
  });
});

test.describe("users and access, as a customer viewer", () => {
  test.use({ storageState: storageStateOf("customerViewer") });

  test("reads members and explanations but is offered no control that changes anything", async ({ page }) => {
    test.slow(); // each axe pass over a page of members takes seconds on a shared machine
    await page.goto("/t/adler-logistik/members");
    const table = page.getByRole("table", { name: "Members" });
    await expect(table).toContainText("Rafael Costa");
    await expect(page.getByRole("checkbox")).toHaveCount(0);
    await expect(page.getByRole("region", { name: "Bulk actions" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /Assign role|Change role|Disable|Remove access/ })).toHaveCount(0);
    await expectAccessible(page);

    await table.getByRole("link", { name: "Rafael Costa" }).click();
    await expect(page.getByRole("table", { name: "Assignments" })).toContainText("Manager");
    await expect(page.getByRole("button", { name: /Change role|Revoke/ })).toHaveCount(0);
    await page.getByRole("search", { name: "Explain access" }).getByRole("button", { name: "Explain" }).click();
    await expect(page.getByRole("status", { name: "Explanation" })).toContainText("Allowed: Rafael Costa holds tenant.read on Adler Logistik.");
    await expectAccessible(page);
  });
});
