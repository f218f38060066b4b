/**
 * Shape of a jsonb column. `any` values because TypeORM's QueryDeepPartialEntity cannot expand a recursive
 * JSON type (TS2589) nor accept `unknown`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonObject = Record<string, any>;
