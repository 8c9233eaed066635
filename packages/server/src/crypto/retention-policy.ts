/** The retention settings (docs/security.md, "Retention"), apart from the purge so that config.ts loads no database code. */

/** Days each kind is kept after its matter is over (RETAIN_* settings). */
export interface RetentionPolicy {
  /** A caller (name, number): after the last request, when none of the caller's requests is still open. */
  callerDays: number;
  /** A call's caller number and name (话单 keep their times): after the call ended. */
  callDays: number;
  /** A text's number and words: after it was queued (a survey's answer stays with the order). */
  smsDays: number;
  /** The call-back name and number in a linkage item and its messages: after the item was closed. */
  linkageDays: number;
}

export const RETENTION_DEFAULTS: RetentionPolicy = {
  callerDays: 1095,
  callDays: 365,
  smsDays: 180,
  linkageDays: 180,
};
