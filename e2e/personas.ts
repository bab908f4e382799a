import type { Page } from "@playwright/test";

/** The demo users the start output offers, with the demo password. */
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD || "northwind-demo-2026";
export const PERSONAS = {
  providerOwner: "ava.thompson@northwind.example",
  emeaAdmin: "emma.schulz@northwind.example",
  customerViewer: "hannah.weber@adler-logistik.example",
  disabledUser: "oscar.lindqvist@northwind.example",
} as const;

/** Signs in through the sign-in page as a person would. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in and waits until the portal has opened on the user's own tree. */
export async function signInToPortal(page: Page, email: string): Promise<void> {
  await signIn(page, email);
  await page.waitForURL(/\/t\/[^/]+\/tree$/);
}
