/**
 * Our 110 vocabulary in EIDO's registries (NENA-STA-021.1a-2022 §3; dispositions: APCO ANS
 * 1.111.2-2018 Common Disposition Codes). `verified: false` marks a value not confirmed against the
 * published registry text, which could not be obtained here (see packages/server/eido/SOURCE.md);
 * those carry a `liandong:` code so no receiver mistakes them for a registry value.
 */
import type { Disposition, IncidentCategory, IncidentStatus } from '@liandong/domain';

export const EIDO_DISPOSITIONS: Record<Disposition, { code: string; verified: boolean }> = {
  // design.md §7 names these two APCO codes.
  referred_to_partner_agency: { code: '15', verified: true },
  duplicate: { code: '22', verified: true },
  report_taken: { code: 'liandong:report_taken', verified: false },
  resolved_on_scene: { code: 'liandong:resolved_on_scene', verified: false },
  settled_by_phone: { code: 'liandong:settled_by_phone', verified: false },
  mediated: { code: 'liandong:mediated', verified: false },
  no_action_needed: { code: 'liandong:no_action_needed', verified: false },
  unable_to_locate: { code: 'liandong:unable_to_locate', verified: false },
  cancelled: { code: 'liandong:cancelled', verified: false },
  arrest: { code: 'liandong:arrest', verified: false },
};

/** Incident Type registry (§3.2): law enforcement, medical, fire … by our 110 categories. */
export const EIDO_INCIDENT_TYPES: Record<IncidentCategory, string> = {
  criminal: 'Law',
  public_order: 'Law',
  traffic: 'Law',
  mass_incident: 'Law',
  emergency_help: 'Law',
  public_help: 'Law',
  police_complaint: 'Law',
  tip_off: 'Law',
  social_linkage: 'Law',
  non_police: 'Law',
  invalid: 'Law',
};

export const EIDO_INCIDENT_STATUS: Record<IncidentStatus, string> = {
  received: 'Pending',
  dispatched: 'Dispatched',
  on_scene: 'OnScene',
  handling: 'Active',
  feedback_given: 'Active',
  closed: 'Closed',
};

/** urn:emergency:service:responder (RFC 7163's registry): what kind of agency each party is. */
export const EIDO_AGENCY_TYPE = {
  police: 'urn:emergency:service:responder.police',
  fire: 'urn:emergency:service:responder.fire',
  ems: 'urn:emergency:service:responder.ems',
  other: 'urn:emergency:service:responder.other',
} as const;
