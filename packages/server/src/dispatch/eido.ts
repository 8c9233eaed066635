/**
 * NENA EIDO on the 110 desk: an incident (or a linkage item that involves police) as an Emergency
 * Incident Data Object, and an EIDO from another CAD taken in as a triaged incident. Components refer
 * to each other by `$id`/`$ref`; every EIDO is checked against the shipped schema (eido/eido.schema.json).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  INCIDENT_ACTION_LABELS,
  INCIDENT_CATEGORIES,
  INCIDENT_CATEGORY_LABELS,
  DISPOSITION_LABELS,
} from '@liandong/domain';
import type { IncidentCategory, IncidentStatus, Disposition, IncidentAction } from '@liandong/domain';
import { compileJsonSchema } from '../http/json-schema.ts';
import { EIDO_AGENCY_TYPE, EIDO_DISPOSITIONS, EIDO_INCIDENT_STATUS, EIDO_INCIDENT_TYPES } from './eido-codes.ts';

export const EIDO_SCHEMA_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../eido/eido.schema.json',
);

const validateEido = compileJsonSchema(JSON.parse(fs.readFileSync(EIDO_SCHEMA_FILE, 'utf8')) as object, {
  allErrors: true,
});

export function checkEido(doc: unknown): { ok: true } | { ok: false; errors: { path: string; message: string }[] } {
  if (validateEido(doc)) return { ok: true };
  return {
    ok: false,
    errors: (validateEido.errors ?? []).slice(0, 20).map((e: { instancePath: string; message?: string }) => ({
      path: e.instancePath || '/',
      message: e.message ?? '',
    })),
  };
}

/** RFC 3339 with Beijing's offset, as EIDO timestamps are written. */
const ts = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
const xmlEsc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** PIDF-LO (RFC 4119 with the civic address of RFC 5139 and the GML point of RFC 5491). */
export function pidfLo(
  entity: string,
  p: { lat: number | null; lng: number | null; district: string | null; street: string | null; address: string },
): string {
  const civic = `<ca:civicAddress xmlns:ca="urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr"><ca:country>CN</ca:country><ca:A1>重庆市</ca:A1>${p.district ? `<ca:A2>${xmlEsc(p.district)}</ca:A2>` : ''}${p.street ? `<ca:A3>${xmlEsc(p.street)}</ca:A3>` : ''}${p.address ? `<ca:LOC>${xmlEsc(p.address)}</ca:LOC>` : ''}</ca:civicAddress>`;
  const point =
    p.lat !== null && p.lng !== null
      ? `<gml:Point xmlns:gml="http://www.opengis.net/gml" srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>${p.lat} ${p.lng}</gml:pos></gml:Point>`
      : '';
  return `<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:gp="urn:ietf:params:xml:ns:pidf:geopriv10" entity="${xmlEsc(entity)}"><tuple id="loc"><status><gp:geopriv><gp:location-info>${point}${civic}</gp:location-info><gp:usage-rules/></gp:geopriv></status></tuple></presence>`;
}

export interface EidoIncidentInput {
  deskId: string;
  incident: {
    id: string;
    no: string;
    category: IncidentCategory;
    priority: number;
    status: IncidentStatus;
    disposition: Disposition | null;
    unitId: string | null;
    unitName: string | null;
    createdAt: Date;
    updatedAt: Date;
  };
  request: {
    id: string;
    channel: string;
    content: string;
    address: string;
    district: string | null;
    street: string | null;
    lat: number | null;
    lng: number | null;
    receivedAt: Date;
    callerName: string | null;
    callerPhone: string | null;
  };
  actions: { id: string; action: string; at: Date; details: Record<string, unknown>; actorName: string | null }[];
  /** The linkage item the incident belongs to, and which side of it this desk is. */
  linkage: { itemId: string; kind: string; side: 'originator' | 'receiver'; peer: string; peerName: string } | null;
}

export function buildEido(x: EidoIncidentInput) {
  const d = x.deskId;
  const id = (kind: string, local: string) => `urn:emergency:uid:${kind}:${local}:${d}`;
  const ownAgency = id('agency', d);
  const callId = id('callid', x.request.id);
  const locId = id('location', x.request.id);
  const callerId = id('person', `${x.request.id}-caller`);
  const now = x.incident.updatedAt;
  const prologue = (ident: string) => ({
    $id: ident,
    lastUpdateTimeStamp: ts(now),
    updatedByAgencyReference: { $ref: ownAgency },
  });

  // Roles per the Agency Role registry: who took the call, who owns the incident, who it went to.
  const agencies: Record<string, unknown>[] = [];
  const transferredIn = x.linkage?.side === 'receiver';
  const ownRoles = transferredIn ? ['TransferredTo', 'Owning'] : ['CallReceiving', 'Owning'];
  agencies.push({
    ...prologue(ownAgency),
    agencyRoleDescriptionRegistryText: ownRoles,
    agencyType: [EIDO_AGENCY_TYPE.police],
    agencyJcard: [
      'vcard',
      [
        ['version', {}, 'text', '4.0'],
        ['fn', {}, 'text', '110报警服务台'],
        ['org', {}, 'text', d],
      ],
    ],
    incidentOwningAgencyIndicator: true,
  });
  if (x.linkage) {
    const peerType = /119|fire/.test(x.linkage.peer)
      ? EIDO_AGENCY_TYPE.fire
      : /120|medical/.test(x.linkage.peer)
        ? EIDO_AGENCY_TYPE.ems
        : EIDO_AGENCY_TYPE.other;
    agencies.push({
      ...prologue(id('agency', x.linkage.peer)),
      agencyRoleDescriptionRegistryText: [transferredIn ? 'CallReceiving' : 'TransferredTo'],
      agencyType: [peerType],
      agencyJcard: [
        'vcard',
        [
          ['version', {}, 'text', '4.0'],
          ['fn', {}, 'text', x.linkage.peerName],
          ['org', {}, 'text', x.linkage.peer],
        ],
      ],
      incidentOwningAgencyIndicator: false,
    });
  }
  if (x.incident.unitId)
    agencies.push({
      ...prologue(id('agency', x.incident.unitId)),
      agencyRoleDescriptionRegistryText: ['Responding'],
      agencyType: [EIDO_AGENCY_TYPE.police],
      agencyJcard: [
        'vcard',
        [
          ['version', {}, 'text', '4.0'],
          ['fn', {}, 'text', x.incident.unitName ?? x.incident.unitId],
        ],
      ],
      incidentOwningAgencyIndicator: false,
    });

  const notes = [
    {
      ...prologue(id('note', `${x.request.id}-content`)),
      noteDateTimeStamp: ts(x.request.receivedAt),
      noteText: x.request.content,
      noteTypeDescriptionText: '报警内容',
    },
    ...x.actions.map((a) => ({
      ...prologue(id('note', a.id)),
      noteDateTimeStamp: ts(a.at),
      noteText: [
        a.action === 'create' ? '接警' : (INCIDENT_ACTION_LABELS[a.action as IncidentAction] ?? a.action),
        typeof a.details.note === 'string' ? a.details.note : null,
        typeof a.details.summary === 'string' ? a.details.summary : null,
        a.actorName,
      ]
        .filter(Boolean)
        .join('：'),
      noteTypeDescriptionText: '处警记录',
    })),
  ];

  const persons =
    x.request.callerName || x.request.callerPhone
      ? [
          {
            ...prologue(callerId),
            personIncidentRoleRegistryText: ['Caller'],
            ncPersonComponent: {
              ...(x.request.callerName ? { 'nc:PersonName': { 'nc:PersonFullName': x.request.callerName } } : {}),
              ...(x.request.callerPhone
                ? {
                    'nc:ContactInformation': {
                      'nc:TelephoneNumber': {
                        'nc:FullTelephoneNumber': { 'nc:TelephoneNumberFullID': x.request.callerPhone },
                      },
                    },
                  }
                : {}),
            },
            callIdentifier: [callId],
          },
        ]
      : [];

  const disposition = x.incident.disposition
    ? [
        {
          dispositionCommonRegistryCode: EIDO_DISPOSITIONS[x.incident.disposition].code,
          dispositionPrimaryIndicator: true,
          dispositionCategoryText: x.incident.disposition,
          dispositionDescriptionText: DISPOSITION_LABELS[x.incident.disposition],
        },
      ]
    : [];

  return {
    $id: id('eido', `${x.incident.no}-${now.getTime()}`),
    lastUpdateTimeStamp: ts(now),
    updatedByAgencyReference: { $ref: ownAgency },
    eidoVersion: '1.0',
    issuingElementIdentification: `${d}.liandong`,
    incidentComponent: {
      ...prologue(id('incidentid', x.incident.no)),
      incidentTrackingIdentifier: id('incidentid', x.incident.no),
      incidentTypeCommonRegistryText: EIDO_INCIDENT_TYPES[x.incident.category],
      incidentTypeInternalCode: x.incident.category,
      incidentTypeInternalText: INCIDENT_CATEGORY_LABELS[x.incident.category],
      incidentStatusCommonRegistryText: [EIDO_INCIDENT_STATUS[x.incident.status]],
      incidentStatusInternalText: x.incident.status,
      incidentCommonPriorityNumber: x.incident.priority,
      incidentPriorityInternalText: ['', '一级', '二级', '三级'][x.incident.priority] ?? String(x.incident.priority),
      internalIncidentId: x.incident.no,
      dispositionComponent: disposition,
      locationReference: [{ $ref: locId }],
      personReference: persons.map((p) => ({ $ref: p.$id })),
      notesReference: notes.map((n) => ({ $ref: n.$id })),
    },
    callComponent: [
      {
        ...prologue(callId),
        callIdentifier: callId,
        callStateRegistryText: 'callEnd',
        standardPrimaryCallType:
          x.request.channel === 'phone_110' || x.incident.priority === 1 ? 'emergency' : 'nonEmergency',
        localCallType: x.request.channel,
        direction: 'incoming',
        callStartTimestamp: ts(x.request.receivedAt),
        locationReference: [{ $ref: locId }],
        personReference: persons.map((p) => ({ $ref: p.$id })),
      },
    ],
    agencyComponent: agencies,
    notesComponent: notes,
    locationComponent: [
      {
        ...prologue(locId),
        locationTypeDescriptionRegistryText: ['IncidentLocation'],
        locationByValue: pidfLo(`pres:${x.request.id}@${d}`, x.request),
        locationDescriptionText: [x.request.district, x.request.street, x.request.address].filter(Boolean).join(''),
      },
    ],
    personComponent: persons,
    ...(x.linkage
      ? {
          additionalDataComponent: [
            {
              ...prologue(id('additionaldata', x.linkage.itemId)),
              urlPurpose: 'LinkageItem',
              additionalDataByValue: JSON.stringify({
                itemId: x.linkage.itemId,
                kind: x.linkage.kind,
                side: x.linkage.side,
                peer: x.linkage.peer,
              }),
            },
          ],
        }
      : {}),
  };
}

/** What an imported EIDO gives the 110 desk's intake. */
export function readEido(doc: Record<string, unknown>) {
  const inc = doc.incidentComponent as Record<string, unknown>;
  const byId = (list: unknown, ref: unknown) =>
    (Array.isArray(list) ? (list as Record<string, unknown>[]) : []).find(
      (c) => c.$id === (ref as { $ref?: string } | undefined)?.$ref,
    );
  const locRef = (inc.locationReference as unknown[] | undefined)?.[0];
  const loc = (byId(doc.locationComponent, locRef) ??
    (doc.locationComponent as Record<string, unknown>[] | undefined)?.[0]) as Record<string, unknown> | undefined;
  const pidf = typeof loc?.locationByValue === 'string' ? loc.locationByValue : '';
  const pos = /<gml:pos>\s*(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s*<\/gml:pos>/.exec(pidf);
  const tag = (t: string) => new RegExp(`<ca:${t}>([^<]*)</ca:${t}>`).exec(pidf)?.[1];
  const notes = (Array.isArray(doc.notesComponent) ? (doc.notesComponent as Record<string, unknown>[]) : [])
    .map((n) => n.noteText)
    .filter((t): t is string => typeof t === 'string' && t.trim().length > 0);
  const persons = Array.isArray(doc.personComponent) ? (doc.personComponent as Record<string, unknown>[]) : [];
  const caller = persons.find((p) => (p.personIncidentRoleRegistryText as string[] | undefined)?.includes('Caller'));
  const nc = (caller?.ncPersonComponent ?? {}) as Record<string, Record<string, unknown>>;
  const name = nc['nc:PersonName']?.['nc:PersonFullName'];
  const phone = (nc['nc:ContactInformation'] as Record<string, Record<string, Record<string, unknown>>> | undefined)?.[
    'nc:TelephoneNumber'
  ]?.['nc:FullTelephoneNumber']?.['nc:TelephoneNumberFullID'];
  const internal = typeof inc.incidentTypeInternalCode === 'string' ? inc.incidentTypeInternalCode : '';
  const text = [typeof inc.incidentTypeInternalText === 'string' ? inc.incidentTypeInternalText : null, ...notes]
    .filter(Boolean)
    .join('。');
  const priority = typeof inc.incidentCommonPriorityNumber === 'number' ? inc.incidentCommonPriorityNumber : null;
  return {
    id: String(doc.$id),
    content: text || String(inc.incidentTypeCommonRegistryText),
    category: (INCIDENT_CATEGORIES as readonly string[]).includes(internal) ? (internal as IncidentCategory) : null,
    priority: priority === null ? null : Math.min(3, Math.max(1, Math.round(priority))),
    address: [typeof loc?.locationDescriptionText === 'string' ? loc.locationDescriptionText : tag('LOC')]
      .filter(Boolean)
      .join('')
      .slice(0, 200),
    districtName: tag('A2') ?? null,
    lat: pos ? Number(pos[1]) : undefined,
    lng: pos ? Number(pos[2]) : undefined,
    callerName: typeof name === 'string' ? name.slice(0, 50) : undefined,
    callerPhone: typeof phone === 'string' && /^[0-9+\-() ]{3,20}$/.test(phone) ? phone : undefined,
  };
}
