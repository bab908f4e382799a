import { expect, test, type Page } from "@playwright/test";
import { storageStateOf } from "./personas";

// Consumption and billing as each persona uses them, on the demo's 13 months of usage.

const SCREENSHOTS = "test-results/screenshots";
// A page of roll-up reads, on a two-core machine shared with builds and benchmarks, may take a while.
const eventually = expect.configure({ timeout: 20_000 });

/** Full-page pictures in light, in dark and at a phone's width, for people to look at (the accessibility spec checks the pages). */
async function screenshots(page: Page, name: string): Promise<void> {
  await page.emulateMedia({ colorScheme: "light" });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}-light.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}-dark.png`, fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}-narrow.png`, fullPage: true });
  if (size) await page.setViewportSize(size);
}

/** Clicks a download link and returns the file's text. */
async function download(page: Page, name: string | RegExp): Promise<{ filename: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name }).click()]);
  const stream = await file.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return { filename: file.suggestedFilename(), text: Buffer.concat(chunks).toString("utf8") };
}

const sections = (page: Page) => page.getByRole("navigation", { name: "Sections" });
const notFound = (page: Page) => eventually(page.getByRole("heading", { name: "Not found" })).toBeVisible();

test.describe("consumption and billing", () => {
  test.describe.configure({ timeout: 120_000 });

  test.describe("as the provider owner", () => {
    test.use({ storageState: storageStateOf("providerOwner") });

    test("watches the account's consumption by day and by month and downloads the series and top consumers", async ({ page }) => {
      await page.goto("/t/northwind");
      await sections(page).getByRole("link", { name: "Consumption" }).click();
      await eventually(page.getByRole("heading", { name: "Consumption", level: 1 })).toBeVisible();
      const chart = page.getByRole("figure", { name: "Points per day, by child node" });
      await expect(chart).toBeVisible();
      await expect(chart.getByText(/points at Northwind MSSP from/)).toBeVisible();
      await expect(page.getByText("Forecast to month end")).toBeVisible();
      const top = page.getByRole("table", { name: "Top consumers" });
      await expect(top.getByRole("row")).toHaveCount(11);

      await page.getByRole("link", { name: "Last 12 months" }).click();
      await expect(page).toHaveURL(/view=month/);
      const monthly = page.getByRole("figure", { name: "Points per month, by child node" });
      await eventually(monthly).toBeVisible();
      await monthly.getByText("Show the numbers as a table").click();
      await expect(monthly.getByRole("table").getByRole("row")).toHaveCount(13);
      await expect(monthly.getByRole("columnheader", { name: "Regions" })).toBeVisible();
      await expect(monthly.getByRole("columnheader", { name: "Budget" })).toBeVisible();

      const series = await download(page, "Download series (CSV)");
      expect(series.filename).toMatch(/^consumption-northwind-mssp-month-.*\.csv$/);
      const [header, ...rows] = series.text.trimEnd().split("\r\n");
      expect(header).toBe("month,Regions,Partners,total_points,budget_points");
      expect(rows).toHaveLength(12);
      const consumers = await download(page, "Download top consumers (CSV)");
      expect(consumers.text.split("\r\n")[0]).toBe("rank,organization,slug,points,share_percent");
      await screenshots(page, "consumption-dashboard-account");
    });

    test("reads the consolidated statement of a period and downloads it", async ({ page }) => {
      await page.goto("/t/northwind");
      await sections(page).getByRole("link", { name: "Billing" }).click();
      await eventually(page.getByRole("heading", { name: "Consolidated statement" })).toBeVisible();
      const period = page.getByLabel("Billing period starting in");
      const options = await period.getByRole("option").allTextContents();
      // The open period first, then every closed one with usage: 13 months of demo usage.
      expect(options.length).toBeGreaterThanOrEqual(13);
      await period.selectOption({ index: 1 });
      await page.getByRole("button", { name: "Show" }).click();
      await expect(page).toHaveURL(/period=\d{4}-\d{2}/);
      const lines = page.getByRole("table", { name: "Statement lines" });
      await eventually(lines.getByRole("rowheader", { name: "Adler Logistik" })).toBeVisible();
      await expect(lines.getByRole("rowheader", { name: /^Total \(\d+ organizations\)$/ })).toBeVisible();
      const statement = await download(page, "Download statement (CSV)");
      expect(statement.filename).toMatch(/^statement-\d{4}-\d{2}-01-\d{4}-\d{2}-\d{2}\.csv$/);
      expect(statement.text).toMatch(/\r\ntotal,,\d+ organizations,,[\d.]+,[\d.]+,USD\r\n$/);
      await screenshots(page, "billing-statement");
      await page.getByRole("link", { name: "Program" }).click();
      await eventually(page.getByLabel("Point price")).toHaveValue("1");
      await screenshots(page, "billing-program");
    });

    test("keeps the catalog: adds a product with its price table, each problem on its field", async ({ page }) => {
      await page.goto("/t/northwind/billing");
      await page.getByRole("navigation", { name: "Billing sections" }).getByRole("link", { name: "Catalog" }).click();
      await eventually(page.getByRole("heading", { name: "Catalog" })).toBeVisible();
      await expect(page.getByText("Existing configurations keep the points per day they were priced at")).toBeVisible();
      await screenshots(page, "billing-catalog");
      await page.getByRole("link", { name: "Edit FortiGate VM" }).click();
      await eventually(page.getByRole("heading", { name: "Edit FortiGate VM" })).toBeVisible();
      await screenshots(page, "billing-catalog-edit");

      await page.getByRole("link", { name: "Add a product" }).first().click();
      await eventually(page.getByRole("heading", { name: "Add a product" })).toBeVisible();
      await page.getByLabel("Key", { exact: true }).first().fill("web-firewall");
      await page.getByLabel("Name", { exact: true }).fill("Web firewall");
      await page.getByLabel("Serial prefix").fill("fw");
      await page.getByRole("button", { name: "Add a parameter" }).click();
      const parameter = page.getByRole("group", { name: "Parameter 1" });
      await parameter.getByLabel("Key").fill("size");
      await parameter.getByLabel("Label", { exact: true }).first().fill("Size");
      await parameter.getByLabel("Value").fill("s");
      await parameter.getByLabel("Label", { exact: true }).nth(1).fill("Small");
      await parameter.getByLabel("Points a day").fill("two");
      await page.getByRole("button", { name: "Add the product" }).click();
      await eventually(page.getByText("A serial prefix is 4 to 8 capital letters or digits.")).toBeVisible();
      await expect(parameter.getByLabel("Points a day")).toHaveAttribute("aria-invalid", "true");
      await expect(parameter.getByLabel("Value")).toHaveValue("s");
      await screenshots(page, "billing-catalog-errors");
      await page.getByLabel("Serial prefix").fill("FWBVM");
      await parameter.getByLabel("Points a day").fill("2");
      await page.getByRole("button", { name: "Add the product" }).click();
      await eventually(page.getByText("Added Web firewall to the catalog.")).toBeVisible();
      await page.goto("/t/northwind/billing/catalog");
      await eventually(page.getByRole("listitem").filter({ hasText: "Web firewall" })).toContainText("Small +2");
    });

    test("manages an organization's entitlements and configurations, and its budgets", async ({ page }) => {
      await page.goto("/t/adler-logistik/consumption/entitlements");
      await page.getByLabel("Status").selectOption("active");
      await page.getByRole("button", { name: "Filter" }).click();
      await expect(page).toHaveURL(/status=active/);
      const table = page.getByRole("table", { name: "Entitlements" });
      await eventually(table.getByRole("row").nth(1)).toContainText("Active");
      await screenshots(page, "consumption-entitlements");

      await page.getByRole("link", { name: "Configurations" }).click();
      await eventually(page.getByRole("heading", { name: "New configuration" })).toBeVisible();
      await page.getByLabel("Product").selectOption({ label: "FortiGate VM" });
      await page.getByLabel("Name").fill("E2E edge firewall");
      await page.getByLabel("vCPUs").selectOption({ label: "8 vCPUs" });
      await page.getByLabel("Service bundle").selectOption({ label: "Enterprise Protection" });
      await expect(page.getByText("Points per day: 16")).toBeVisible();
      await page.getByRole("button", { name: "Create configuration" }).click();
      await eventually(page.getByText("E2E edge firewall is created at 16 points a day.")).toBeVisible();
      const row = page.getByRole("row", { name: /E2E edge firewall/ });
      await row.getByRole("button", { name: "Create entitlements from E2E edge firewall" }).click();
      await row.getByLabel("How many").fill("2");
      await row.getByRole("button", { name: "Create", exact: true }).click();
      await eventually(row.getByText(/^2 pending entitlements created: FGVMMLTM/)).toBeVisible();
      await screenshots(page, "consumption-configurations");

      await page.getByRole("link", { name: "Entitlements" }).click();
      await eventually(page.getByRole("heading", { name: "Entitlements", level: 1 })).toBeVisible();
      await page.getByLabel("Status").selectOption("pending");
      await page.getByRole("button", { name: "Filter" }).click();
      await expect(page).toHaveURL(/status=pending/);
      const pending = page.getByRole("table", { name: "Entitlements" }).getByRole("row").nth(1);
      await eventually(pending).toContainText("Pending");
      const serial = (await pending.getByRole("cell").first().locator(".font-mono").textContent())!.trim();
      await pending.getByRole("button", { name: `Activate ${serial}` }).click();
      // The activated entitlement leaves the list of pending ones; the outcome stays above the table.
      await eventually(page.getByRole("status").filter({ hasText: `${serial} is activated from` })).toBeVisible();
      await expect(page.getByRole("table", { name: "Entitlements" }).getByText(serial)).toHaveCount(0);

      await page.getByRole("link", { name: "Budgets" }).click();
      await eventually(page.getByRole("table", { name: "Budgets of Adler Logistik" }).getByText("80%").first()).toBeVisible();
      await screenshots(page, "consumption-budgets");
    });
  });

  test.describe("as the EMEA OU admin", () => {
    test.use({ storageState: storageStateOf("emeaAdmin") });

    test("sees EMEA's numbers only, and neither the account's nor billing", async ({ page }) => {
      await page.goto("/t/emea");
      await expect(sections(page).getByRole("link", { name: "Billing" })).toHaveCount(0);
      await sections(page).getByRole("link", { name: "Consumption" }).click();
      await eventually(page.getByRole("figure", { name: "Points per day, by child node" })).toBeVisible();
      const top = page.getByRole("table", { name: "Top consumers" });
      await expect(top.getByRole("row")).toHaveCount(11);
      const names = await top.getByRole("link").allTextContents();
      const emea = ["Adler Logistik", "Baltic Freight Lines", "Castellane Assurances", "Duna Energetika", "Elbe Chemie", "Fjord Maritime", "Galway Medtech"];
      const emeaSmb = ["Harbour Lane Dental", "Isar Bakery Group", "Jura Watchworks", "Kestrel Accountancy", "Loire Vineyards", "Mosel Printing", "Nordlys Architects"];
      expect(names.every((name) => [...emea, ...emeaSmb].includes(name))).toBe(true);
      const series = await download(page, "Download series (CSV)");
      expect(series.text.split("\r\n")[0]).toMatch(/^day,(Enterprise,SMB|SMB,Enterprise),total_points,budget_points$/);
      await screenshots(page, "consumption-dashboard-emea");

      for (const path of ["/t/northwind/consumption", "/t/americas/consumption", "/t/orchard-health-systems/consumption/entitlements", "/t/emea/billing", "/t/northwind/billing"]) {
        await page.goto(path);
        await notFound(page);
      }
      for (const path of ["/t/americas/consumption/export/series", "/t/northwind/billing/export?period=2026-01", "/t/pioneer-rail/consumption/entitlements/export"]) {
        expect((await page.request.get(path)).status()).toBe(404);
      }
    });

    test("imports usage with a bad line: nothing is imported until they choose the valid rows", async ({ page }) => {
      // Not Adler Logistik: its budget alert, which the customer viewer's test reads, must stay as the demo left it.
      await page.goto("/t/baltic-freight-lines/consumption/entitlements?status=active");
      const first = page.getByRole("table", { name: "Entitlements" }).getByRole("row").nth(1);
      await eventually(first).toContainText("Active");
      const serial = (await first.getByRole("cell").first().locator(".font-mono").textContent())!.trim();
      await page.getByRole("link", { name: "Usage import" }).click();
      await eventually(page.getByRole("heading", { name: "Usage import" })).toBeVisible();
      const today = new Date().toISOString().slice(0, 10);
      const csv = `serial_number,day,points\n${serial},${today},3.5\n${serial},2026-02-30,1\nNO-SUCH-SERIAL,${today},1\n`;
      await page.getByLabel("Usage file (CSV)").setInputFiles({ name: "usage.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
      await expect(page.getByText("usage.csv: 4 lines")).toBeVisible();
      await page.getByRole("button", { name: "Check only" }).click();
      await eventually(page.getByRole("alert").filter({ hasText: "Checked: 2 of 3 rows have errors. Importing the 1 row without errors would give" })).toBeVisible();
      await page.getByRole("button", { name: "Check and import" }).click();
      await eventually(page.getByRole("alert").filter({ hasText: "2 of 3 rows have errors, so nothing was imported." })).toBeVisible();
      const errors = page.getByRole("region", { name: "Lines with errors" }).getByRole("row");
      await expect(errors).toHaveCount(3);
      await expect(errors.nth(1)).toContainText("3");
      await expect(errors.nth(2)).toContainText("4");
      await screenshots(page, "consumption-import-errors");
      await page.getByRole("button", { name: "Import the rows without errors only" }).click();
      await eventually(page.getByText(/^Imported 1 row: .* 2 rows with errors were skipped\.$/)).toBeVisible();

      // A clean file can be checked first: the same row again would be unchanged, and nothing is written.
      await page.getByLabel("Usage file (CSV)").setInputFiles({ name: "again.csv", mimeType: "text/csv", buffer: Buffer.from(`serial_number,day,points\n${serial},${today},3.5\n`) });
      await page.getByRole("button", { name: "Check only" }).click();
      await eventually(page.getByText("Checked 1 row, all valid: importing would give 0 new, 0 replaced, 1 unchanged. Nothing was imported yet.")).toBeVisible();
      await screenshots(page, "consumption-import-checked");
      // A file above the limit is refused in the browser, before it is sent.
      await page.getByLabel("Usage file (CSV)").setInputFiles({ name: "huge.csv", mimeType: "text/csv", buffer: Buffer.alloc(5 * 1024 * 1024 + 1, "x") });
      await expect(page.getByRole("alert").filter({ hasText: "huge.csv is too large: 5.0 MB. Import at most 5 MB at a time" })).toBeVisible();
      await expect(page.getByRole("button", { name: "Check only" })).toBeDisabled();
    });
  });

  test.describe("as a customer viewer", () => {
    test.use({ storageState: storageStateOf("customerViewer") });

    test("sees only their organization, its budget alerts, and can change nothing", async ({ page }) => {
      await page.goto("/t/adler-logistik");
      await expect(sections(page).getByRole("link", { name: "Billing" })).toHaveCount(0);
      await sections(page).getByRole("link", { name: "Consumption" }).click();
      await eventually(page.getByRole("figure", { name: "Points per day, by product type" })).toBeVisible();
      const top = page.getByRole("table", { name: "Top consumers" });
      await expect(top.getByRole("link")).toHaveText(["Adler Logistik"]);
      await expect(page.getByRole("navigation", { name: "Consumption sections" }).getByRole("link", { name: "Usage import" })).toHaveCount(0);
      await screenshots(page, "consumption-dashboard-customer");

      await page.getByRole("link", { name: "Entitlements" }).click();
      await eventually(page.getByRole("table", { name: "Entitlements" }).getByRole("row").nth(1)).toBeVisible();
      await expect(page.getByRole("button", { name: /^(Activate|Stop|Reactivate|Expire)/ })).toHaveCount(0);
      await page.getByRole("link", { name: "Configurations" }).click();
      await eventually(page.getByRole("heading", { name: "Configurations of Adler Logistik" })).toBeVisible();
      await expect(page.getByRole("button", { name: "Create configuration" })).toHaveCount(0);
      await expect(page.getByRole("button", { name: /^Create entitlements/ })).toHaveCount(0);
      await page.getByRole("link", { name: "Budgets" }).click();
      await eventually(page.getByRole("heading", { name: "Budgets of Adler Logistik" })).toBeVisible();
      // The demo's warning: last month Adler used 86% of its budget, and the 80% alert was raised.
      const lastMonth = page.getByRole("table", { name: "Budgets of Adler Logistik" }).getByRole("row").nth(2);
      await expect(lastMonth.getByRole("cell")).toContainText(["86%", "80%"]);
      await expect(page.getByRole("button", { name: "Set budget" })).toHaveCount(0);

      for (const path of ["/t/adler-logistik/consumption/import", "/t/adler-logistik/billing", "/t/northwind/billing", "/t/baltic-freight-lines/consumption"]) {
        await page.goto(path);
        await notFound(page);
      }
      expect((await page.request.get("/t/baltic-freight-lines/consumption/export/series")).status()).toBe(404);
    });
  });
});
