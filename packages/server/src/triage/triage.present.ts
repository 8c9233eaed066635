import { ROUTE_LABELS, type TriageOutcome } from '@liandong/domain';
import type { StoredTriage } from './catalogue.repo.ts';

export function presentOutcome(o: TriageOutcome) {
  return {
    route: o.route,
    routeLabel: ROUTE_LABELS[o.route],
    emergency: o.emergency,
    urgent: o.urgent,
    urgentKind: o.urgentKind,
    linked: o.linked,
    category: o.category,
    confidence: o.confidence,
    needsConsultation: o.needsConsultation,
    review: o.review,
    reasons: o.reasons,
    guidance: o.guidance,
    catalogueVersion: o.catalogueVersion,
    modelVersion: o.modelVersion,
  };
}

export function presentTriage(t: StoredTriage) {
  const last = t.decisions[t.decisions.length - 1] ?? null;
  return {
    route: t.route,
    routeLabel: ROUTE_LABELS[t.route],
    emergency: t.emergency,
    urgent: t.urgent,
    urgentKind: t.urgent_kind,
    linked: t.linked,
    category: t.category,
    confidence: t.confidence,
    needsConsultation: t.needs_consultation,
    review: t.review,
    reasons: t.reasons,
    catalogueVersion: t.catalogue_version,
    modelVersion: t.model_version,
    at: t.created_at.toISOString(),
    decision: last,
    decisions: t.decisions,
  };
}
