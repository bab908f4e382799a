import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3210);
const baseURL = `http://localhost:${port}`;
// Debian's Chromium when present: this machine cannot download Playwright's own browser.
const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((candidate) => existsSync(candidate));

const browser = {
  ...devices["Desktop Chrome"],
  launchOptions: {
    executablePath: systemChromium,
    args: ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  },
};

export default defineConfig({
  testDir: "./e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  outputDir: "test-results/playwright",
  reporter: process.env.CI
    ? [["list"], ["json", { outputFile: "test-results/playwright.json" }]]
    : [["list"], ["html", { open: "never" }]],
  timeout: 30_000,
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "sign-in personas", testMatch: /auth\.setup\.ts/, use: browser },
    { name: "chromium", dependencies: ["sign-in personas"], use: browser },
  ],
  webServer: {
    // A production build on a fresh embedded database, exactly as `npm start` runs for a new user.
    command: "node -e \"require('fs').rmSync('.e2e-data',{recursive:true,force:true})\" && npm start",
    url: `${baseURL}/login`,
    env: { DATA_DIR: ".e2e-data", PORT: String(port), DATABASE_URL: "" },
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
  },
});
