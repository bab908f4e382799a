/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its WASM and data files relative to its own package; bundled, it cannot find them.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "proper-lockfile"],
  poweredByHeader: false,
  reactStrictMode: true,
  // The usage import sends its CSV (up to 5 MB, lib/consumption/usage-csv.ts) to a server action.
  experimental: { serverActions: { bodySizeLimit: "6mb" } },
};

export default nextConfig;
