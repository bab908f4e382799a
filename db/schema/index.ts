export * from "./tenants";
export * from "./principals";
export * from "./access";
export * from "./audit";
export * from "./auth";
export * from "./onboarding";
export * from "./api";
export * from "./consumption";
