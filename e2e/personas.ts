import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { currentStep, totpCodeAt } from "@/lib/auth/totp";

/** The demo users the start output offers, with the demo password. */
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD || "northwind-demo-2026";
export const PERSONAS = {
  providerOwner: "ava.thompson@northwind.example",
  emeaAdmin: "emma.schulz@northwind.example",
  customerViewer: "hannah.weber@adler-logistik.example",
  accountViewer: "grace.kim@northwind.example",
  accountManager: "noah.becker@northwind.example",
  secondOwner: "liam.carter@northwind.example",
  helpdesk: "ethan.brooks@northwind.example",
  disabledUser: "oscar.lindqvist@northwind.example",
} as const;

export const AUTH_DIR = path.join(import.meta.dirname, ".auth");
export const storageStateOf = (persona: keyof typeof PERSONAS) => path.join(AUTH_DIR, `${persona}.json`);

// The authenticator app of every persona: secrets enrolled in this run, shared across test files.
const AUTHENTICATOR = path.join(AUTH_DIR, "authenticator.json");
type Authenticator = Record<string, { secret: string; lastStep: number }>;

function readAuthenticator(): Authenticator {
  return existsSync(AUTHENTICATOR) ? (JSON.parse(readFileSync(AUTHENTICATOR, "utf8")) as Authenticator) : {};
}

function saveAuthenticator(entries: Authenticator): void {
  mkdirSync(AUTH_DIR, { recursive: true });
  writeFileSync(AUTHENTICATOR, JSON.stringify(entries, null, 2));
}

/** The next code the app shows for `email`; waits for a fresh 30-second step, as codes are single-use. */
export async function nextCode(email: string): Promise<string> {
  const entries = readAuthenticator();
  const entry = entries[email];
  if (!entry) throw new Error(`no authenticator enrolled for ${email}`);
  while (currentStep(new Date()) <= entry.lastStep) await new Promise((resolve) => setTimeout(resolve, 500));
  const now = new Date();
  entries[email] = { ...entry, lastStep: currentStep(now) };
  saveAuthenticator(entries);
  return totpCodeAt(entry.secret, now);
}

/** Types email and password into the sign-in page. */
export async function enterPassword(page: Page, email: string, password = DEMO_PASSWORD, next?: string): Promise<void> {
  await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : "/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in through both steps, enrolling the authenticator on a first sign-in. Returns recovery codes when it enrolled. */
export async function signIn(page: Page, email: string, next?: string): Promise<string[]> {
  await enterPassword(page, email, DEMO_PASSWORD, next);
  // The verify step forwards to enrolment when there is no authenticator yet: wait for either form.
  await page.getByLabel(/^(Code from your app|Authentication code)$/).waitFor();
  if (page.url().includes("/login/enroll")) {
    const secret = (await page.getByTestId("totp-key").innerText()).replace(/\s+/g, "");
    saveAuthenticator({ ...readAuthenticator(), [email]: { secret, lastStep: 0 } });
    await page.getByLabel("Code from your app").fill(await nextCode(email));
    await page.getByRole("button", { name: "Turn on two-step verification" }).click();
    const listed = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
    await expect(listed).toHaveCount(10);
    const codes = await listed.allInnerTexts();
    await page.getByRole("button", { name: /I have saved them/ }).click();
    await page.waitForURL(/\/t\//);
    return codes;
  }
  await page.getByLabel("Authentication code").fill(await nextCode(email));
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL(/\/t\//);
  return [];
}
