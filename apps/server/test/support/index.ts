export { ADMIN_PASSWORD, ADMIN_TEMPORARY_PASSWORD, startTestServer } from "./local-server";
export { PHOTOS, diffByRegion, rectangleMask, rgba } from "./images";
export { queuedEdit } from "./edit-record";
