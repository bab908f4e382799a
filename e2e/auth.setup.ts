import { test as setup } from "@playwright/test";
import { rmSync } from "node:fs";
import { AUTH_DIR, PERSONAS, signIn, storageStateOf } from "./personas";

// Each persona signs in once, enrolling its authenticator as any first sign-in does; the specs
// reuse the saved session.
setup.beforeAll(() => rmSync(AUTH_DIR, { recursive: true, force: true }));

for (const persona of ["providerOwner", "emeaAdmin", "customerViewer"] as const) {
  setup(`signs in as the ${persona}`, async ({ page }) => {
    await signIn(page, PERSONAS[persona]);
    await page.context().storageState({ path: storageStateOf(persona) });
  });
}
