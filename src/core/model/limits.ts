/**
 * Limits for decoding profiles. They are enforced by the wire decoder while it reads (so an oversized input never
 * gets fully allocated) and re-exported here as part of the model's public API.
 */
export { DEFAULT_DECODE_LIMITS, resolveLimits } from '../wire/limits';
export type { DecodeLimits } from '../wire/limits';
