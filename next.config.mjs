/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite loads its WASM and data files relative to its own package; bundled, it cannot find them.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "proper-lockfile"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
