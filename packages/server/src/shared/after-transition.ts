import type { Actor } from '../auth/actor.ts';
import type { Queryable } from '../db/pool.ts';

/**
 * The port a desk calls inside the transaction of every transition it saves, with the saved row and the
 * command that moved it. Passed in through the desk service's constructor; app.ts gives each desk the
 * bridge's implementation (bridge/desk-events.ts), so a diversion or a reply reaches the bridge by a call
 * a reader can follow: `IncidentService.act` → `afterTransition` → `bridgeDeskEvents(...).afterIncidentTransition`
 * → `BridgeService.divert`.
 */
export type AfterTransition<Row, Command> = (tx: Queryable, actor: Actor, row: Row, cmd: Command) => Promise<void>;
