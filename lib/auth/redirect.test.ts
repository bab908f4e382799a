import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./redirect";

describe("safeRedirectPath", () => {
  it.each(["/t/northwind/tree", "/t/emea?tab=members#top", "/"])("keeps the portal path %s", (target) => {
    expect(safeRedirectPath(target)).toBe(target);
  });

  it.each([
    "//evil.example",
    "/\\evil.example",
    "https://portal.evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "\\\\evil.example",
    "/\t/evil.example",
    "evil.example/path",
    "",
    "http:/evil.example",
  ])("sends %j to the portal's home instead", (target) => {
    expect(safeRedirectPath(target)).toBe("/");
  });

  it("ignores what is not a string", () => {
    expect(safeRedirectPath(undefined)).toBe("/");
    expect(safeRedirectPath(["/t/x"])).toBe("/");
  });
});
