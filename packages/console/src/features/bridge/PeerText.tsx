import { Fragment, type ReactNode } from 'react';
import { readableReason } from '../../shared/format.ts';
import { usePeerLabel } from './linkage-labels.ts';

/**
 * An item id (`cq-12345:LK-2026-000123`), a line's id (`cq-110`, `medical-120`) or a peer's own number for
 * the matter (`MEDICAL-120-000162`) inside a note the server wrote. A line's id is shown by its Chinese name; an item id is a number and is kept out of translation. A
 * triage reason quoted in the note (a transfer's) loses its catalogue codes, as on the triage panel.
 */
const IDS =
  /([a-z0-9]+(?:-[a-z0-9]+)*:[A-Z]+(?:-\d+)+|(?<![\w:-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![\w:-])|(?<![\w:-])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*-\d+(?![\w:-]))/;

/** The note with the ids in it named (lines) or marked as numbers (items). */
export function PeerText({ text }: { text: string }): ReactNode {
  const peerLabel = usePeerLabel();
  return readableReason(text)
    .split(IDS)
    .map((part, i) => {
      if (i % 2 === 0) return <Fragment key={i}>{part}</Fragment>;
      const label = part.includes(':') ? part : peerLabel(part);
      return label === part ? (
        <span key={i} translate="no">
          {part}
        </span>
      ) : (
        <Fragment key={i}>{label}</Fragment>
      );
    });
}
