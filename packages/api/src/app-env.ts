import type { Principal } from "@retouch/core";
import type { Logger } from "./logger";

/** Per-request values set by middleware. */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    principal: Principal;
  };
}
