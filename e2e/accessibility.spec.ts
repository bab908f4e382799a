import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { storageStateOf } from "./personas";

// Every page of the portal, for every persona that can reach it: axe finds no serious or critical
// violation, in light and in dark.

async function expectAccessible(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await page.waitForLoadState("networkidle");
  const { violations } = await new AxeBuilder({ page }).analyze();
  const blocking = violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(
    blocking.map((violation) => `${violation.id} (${violation.impact}): ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`),
    `axe on ${path}`,
  ).toEqual([]);
}

const PAGES = {
  providerOwner: [
    "/t/northwind",
    "/t/northwind/tree",
    "/t/northwind/members",
    "/t/northwind/roles",
    "/t/northwind/capabilities",
    "/t/northwind/audit",
    "/t/northwind/settings/sso",
    "/t/northwind/settings/api-clients",
    "/t/adler-logistik",
    "/t/adler-logistik/capabilities",
    "/t/no-such-node",
  ],
  emeaAdmin: ["/t/emea", "/t/emea/tree", "/t/emea/members", "/t/emea/roles", "/t/emea/capabilities", "/t/emea/audit", "/t/americas"],
  customerViewer: [
    "/t/adler-logistik",
    "/t/adler-logistik/tree",
    "/t/adler-logistik/members",
    "/t/adler-logistik/roles",
    "/t/adler-logistik/capabilities",
    "/t/adler-logistik/audit",
  ],
} as const;

for (const [persona, paths] of Object.entries(PAGES) as [keyof typeof PAGES, readonly string[]][]) {
  test.describe(`accessibility for the ${persona}`, () => {
    test.use({ storageState: storageStateOf(persona) });

    for (const path of paths) {
      test(`${path} has no serious or critical violation`, async ({ page }) => {
        await expectAccessible(page, path);
      });
    }

    test("the overview has none in dark mode either", async ({ page }) => {
      await page.emulateMedia({ colorScheme: "dark" });
      await expectAccessible(page, paths[0]!);
    });
  });
}

// The consumption and billing pages, each in light and in dark: charts, tables and forms.
const CONSUMPTION_PAGES = {
  providerOwner: [
    "/t/northwind/consumption",
    "/t/northwind/consumption?view=month",
    "/t/northwind/consumption/entitlements",
    "/t/northwind/consumption/configurations",
    "/t/northwind/consumption/budgets",
    "/t/northwind/consumption/import",
    "/t/northwind/billing",
    "/t/northwind/billing/program",
    "/t/northwind/billing/catalog",
    "/t/northwind/billing/catalog?edit=fortigate-vm",
    "/t/adler-logistik/consumption/configurations",
  ],
  emeaAdmin: ["/t/emea/consumption", "/t/emea/consumption/budgets"],
  customerViewer: ["/t/adler-logistik/consumption", "/t/adler-logistik/consumption/entitlements"],
} as const;

for (const [persona, paths] of Object.entries(CONSUMPTION_PAGES) as [keyof typeof CONSUMPTION_PAGES, readonly string[]][]) {
  test.describe(`accessibility of consumption for the ${persona}`, () => {
    test.use({ storageState: storageStateOf(persona) });

    for (const path of paths) {
      for (const scheme of ["light", "dark"] as const) {
        test(`${path} in ${scheme} has no serious or critical violation`, async ({ page }) => {
          await page.emulateMedia({ colorScheme: scheme });
          await expectAccessible(page, path);
        });
      }
    }
  });
}

test.describe("accessibility when signed out", () => {
  for (const path of ["/login", "/dev/outbox", "/api/docs"]) {
    test(`${path} has no serious or critical violation`, async ({ page }) => {
      await expectAccessible(page, path);
    });
  }
});
