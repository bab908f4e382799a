import { describe, expect, it } from "vitest";
import { accountIdOfProvider, claimValues, providerIdFor } from "./providers";
import { isAllowedIssuer } from "./schemas";

describe("isAllowedIssuer", () => {
  it("accepts https issuers, with or without a path", () => {
    expect(isAllowedIssuer("https://login.example.com")).toBe(true);
    expect(isAllowedIssuer("https://login.example.com/realms/staff")).toBe(true);
  });

  it("accepts plain http only on the loopback", () => {
    expect(isAllowedIssuer("http://localhost:4000")).toBe(true);
    expect(isAllowedIssuer("http://127.0.0.1:4000/")).toBe(true);
    expect(isAllowedIssuer("http://[::1]:4000")).toBe(true);
    expect(isAllowedIssuer("http://login.example.com")).toBe(false);
    expect(isAllowedIssuer("http://localhost.evil.example")).toBe(false);
  });

  it("refuses other schemes, credentials, queries and fragments", () => {
    for (const issuer of ["ftp://login.example.com", "javascript:alert(1)", "https://user:pw@login.example.com", "https://login.example.com/?a=1", "https://login.example.com/#x", "login.example.com"]) {
      expect(isAllowedIssuer(issuer), issuer).toBe(false);
    }
  });
});

describe("claimValues", () => {
  it("reads a string or an array of strings, once each", () => {
    expect(claimValues({ roles: "admin" }, "roles")).toEqual(["admin"]);
    expect(claimValues({ roles: ["a", "b", "a", 7, null, ""] }, "roles")).toEqual(["a", "b"]);
  });

  it("reads nested claims by a dotted path, and namespaced claim names as they are", () => {
    expect(claimValues({ realm_access: { roles: ["x"] } }, "realm_access.roles")).toEqual(["x"]);
    expect(claimValues({ "https://arbor.example/roles": ["y"] }, "https://arbor.example/roles")).toEqual(["y"]);
  });

  it("gives nothing for a missing claim or one of another shape", () => {
    expect(claimValues({}, "roles")).toEqual([]);
    expect(claimValues({ roles: { admin: true } }, "roles")).toEqual([]);
    expect(claimValues({ a: "text" }, "a.b")).toEqual([]);
  });
});

describe("provider ids", () => {
  it("name the account and read back only a well-formed id", () => {
    const accountId = "3f1c2a9e-8d4b-4c2a-9f1e-0a1b2c3d4e5f";
    expect(accountIdOfProvider(providerIdFor(accountId))).toBe(accountId);
    expect(accountIdOfProvider("password")).toBeNull();
    expect(accountIdOfProvider("idp-not-a-uuid")).toBeNull();
  });
});
