import { translatePgError } from '../db/pg-errors.ts';

/**
 * Creates a record once per client reference: a retried intake with the same `clientRef` (the unique
 * key of `requests.client_ref`) answers with the record already made instead of a second one.
 */
export async function createOnce<T>(
  clientRef: string | undefined,
  create: () => Promise<T>,
  existing: (clientRef: string) => Promise<T | null>,
): Promise<{ record: T; created: boolean }> {
  try {
    return { record: await create(), created: true };
  } catch (err) {
    const e = err as { code?: string; constraint?: string };
    if (e.code === '23505' && e.constraint === 'requests_client_ref_key' && clientRef) {
      const record = await existing(clientRef);
      if (record) return { record, created: false };
    }
    throw translatePgError(err);
  }
}
