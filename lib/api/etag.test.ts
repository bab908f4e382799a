import { describe, expect, it } from "vitest";
import { contentEtag, isNotModified } from "./etag";

const withHeader = (value?: string) => new Request("http://localhost/api/v1/me", { headers: value === undefined ? {} : { "if-none-match": value } });

describe("contentEtag", () => {
  it("tags the same content alike whatever the order of its keys, and other content otherwise", () => {
    expect(contentEtag({ a: 1, b: [{ c: 2, d: 3 }] })).toBe(contentEtag({ b: [{ d: 3, c: 2 }], a: 1 }));
    expect(contentEtag({ a: 1, b: [{ c: 2, d: 3 }] })).not.toBe(contentEtag({ a: 1, b: [{ c: 2, d: 4 }] }));
    expect(contentEtag({ items: [1, 2] })).not.toBe(contentEtag({ items: [2, 1] }));
  });
});

describe("isNotModified", () => {
  const etag = contentEtag({ items: [] });

  it("matches the current tag alone, in a list, weak or not, and any tag for *", () => {
    expect(isNotModified(withHeader(etag), etag)).toBe(true);
    expect(isNotModified(withHeader(`"v1", ${etag}`), etag)).toBe(true);
    expect(isNotModified(withHeader(`W/${etag}`), etag)).toBe(true);
    expect(isNotModified(withHeader("*"), etag)).toBe(true);
  });

  it("does not match without the header, another tag, or a tag that only contains the current one", () => {
    expect(isNotModified(withHeader(), etag)).toBe(false);
    expect(isNotModified(withHeader('"v1"'), etag)).toBe(false);
    expect(isNotModified(withHeader(etag.replaceAll('"', "")), etag)).toBe(false);
    expect(isNotModified(withHeader(`"x${etag.slice(1)}`), etag)).toBe(false);
  });
});
