import { handleTokenRequest } from "@/lib/api/token-endpoint";

export const POST = handleTokenRequest;
