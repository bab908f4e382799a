export * from "./catalog";
export * from "./builtin-roles";
export * from "./decide";
export * from "./paths";
export * from "./capabilities";
export * from "./grant-rules";
