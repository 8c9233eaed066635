/**
 * The IVR navigation tree (导航流程) as data: menus with prompts and keys, ending at a queue of
 * call-takers, an article read to the caller, or a transfer to another line. Plan task 6 asks for a
 * better navigation flow: fewer layers, so the checks report each leaf's depth and the key presses to
 * each queue, and warn past MAX_RECOMMENDED_DEPTH.
 */
import { fail, ok, type Result } from '../shared/result.ts';

export const IVR_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#'] as const;
export type IvrKey = (typeof IVR_KEYS)[number];

export const IVR_TRANSFER_TARGETS = ['110', '119', '120', 'utility', 'governance_center', 'vehicle_moving'] as const;
export type IvrTransferTarget = (typeof IVR_TRANSFER_TARGETS)[number];

export interface IvrOption {
  key: IvrKey;
  label: string;
  next: string;
}

export type IvrNode =
  | { id: string; kind: 'menu'; prompt: string; options: IvrOption[] }
  | { id: string; kind: 'queue'; prompt: string; queue: string }
  | { id: string; kind: 'article'; prompt: string; articleId: string }
  | { id: string; kind: 'transfer'; prompt: string; target: IvrTransferTarget };

export interface IvrQueue {
  id: string;
  name: string;
}

export interface IvrTree {
  root: string;
  queues: IvrQueue[];
  nodes: IvrNode[];
}

/** A caller should reach a person or an answer within three menus (a common hotline guideline). */
export const MAX_RECOMMENDED_DEPTH = 3;
const ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export interface IvrLeafMetric {
  nodeId: string;
  kind: 'queue' | 'article' | 'transfer';
  label: string;
  /** Menus heard before reaching it. */
  depth: number;
  /** The shortest key sequence from the first menu. */
  keys: string[];
}

export interface IvrReport {
  maxDepth: number;
  leaves: IvrLeafMetric[];
  /** Per queue: the fewest key presses that reach it, and by which keys. */
  queues: { queue: string; name: string; presses: number; keys: string[] }[];
  warnings: string[];
}

const invalid = (message: string, details?: Record<string, unknown>) => fail('IVR_TREE_INVALID', message, details);

/**
 * Checks a tree: ids unique and well formed, every reference resolves, keys unique per menu, no
 * cycles, every node reachable, every queue used exists. `articleExists` checks article leaves.
 */
export function checkIvrTree(tree: IvrTree, articleExists: (id: string) => boolean = () => true): Result<IvrReport> {
  const byId = new Map<string, IvrNode>();
  for (const n of tree.nodes) {
    if (!ID.test(n.id)) return invalid(`节点编号“${n.id}”不合法（小写字母、数字、- 或 _）`, { node: n.id });
    if (byId.has(n.id)) return invalid(`节点编号“${n.id}”重复`, { node: n.id });
    if (!n.prompt.trim()) return invalid(`节点“${n.id}”缺少提示语`, { node: n.id });
    byId.set(n.id, n);
  }
  const queueIds = new Set<string>();
  for (const q of tree.queues) {
    if (!ID.test(q.id) || queueIds.has(q.id)) return invalid(`队列编号“${q.id}”不合法或重复`, { queue: q.id });
    if (!q.name.trim()) return invalid(`队列“${q.id}”缺少名称`, { queue: q.id });
    queueIds.add(q.id);
  }
  if (!byId.has(tree.root)) return invalid(`入口节点“${tree.root}”不存在`, { node: tree.root });
  for (const n of tree.nodes) {
    if (n.kind === 'menu') {
      if (n.options.length === 0) return invalid(`菜单“${n.id}”没有按键选项`, { node: n.id });
      const keys = new Set<string>();
      for (const o of n.options) {
        if (!(IVR_KEYS as readonly string[]).includes(o.key))
          return invalid(`菜单“${n.id}”的按键“${o.key}”不合法`, { node: n.id });
        if (keys.has(o.key)) return invalid(`菜单“${n.id}”的按键 ${o.key} 重复`, { node: n.id, key: o.key });
        keys.add(o.key);
        if (!o.label.trim()) return invalid(`菜单“${n.id}”按键 ${o.key} 缺少说明`, { node: n.id, key: o.key });
        if (!byId.has(o.next))
          return invalid(`菜单“${n.id}”按键 ${o.key} 指向不存在的节点“${o.next}”`, { node: n.id, key: o.key });
      }
    } else if (n.kind === 'queue') {
      if (!queueIds.has(n.queue)) return invalid(`节点“${n.id}”指向不存在的队列“${n.queue}”`, { node: n.id });
    } else if (n.kind === 'article') {
      if (!articleExists(n.articleId))
        return invalid(`节点“${n.id}”引用的知识“${n.articleId}”不存在或未发布`, { node: n.id, articleId: n.articleId });
    } else if (n.kind === 'transfer') {
      if (!(IVR_TRANSFER_TARGETS as readonly string[]).includes(n.target))
        return invalid(`节点“${n.id}”的转接去向“${String(n.target)}”不合法`, { node: n.id });
    }
  }
  // Depth-first from the root: a cycle would keep a caller in the menus for ever.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string, path: string[]): string[] | null => {
    if (state.get(id) === 'open') return [...path, id];
    if (state.get(id) === 'done') return null;
    state.set(id, 'open');
    const n = byId.get(id)!;
    if (n.kind === 'menu') {
      for (const o of n.options) {
        const cycle = visit(o.next, [...path, id]);
        if (cycle) return cycle;
      }
    }
    state.set(id, 'done');
    return null;
  };
  const cycle = visit(tree.root, []);
  if (cycle) return invalid(`导航存在循环：${cycle.join(' → ')}`, { cycle });
  const unreachable = tree.nodes.filter((n) => !state.has(n.id)).map((n) => n.id);
  if (unreachable.length) return invalid(`有节点从入口无法到达：${unreachable.join('、')}`, { nodes: unreachable });
  return ok(reportIvrTree(tree));
}

/** Depth and key presses, by breadth-first search from the root (the shortest way to each leaf). */
export function reportIvrTree(tree: IvrTree): IvrReport {
  const byId = new Map(tree.nodes.map((n) => [n.id, n]));
  const best = new Map<string, string[]>([[tree.root, []]]);
  const order = [tree.root];
  for (let i = 0; i < order.length; i++) {
    const n = byId.get(order[i]!)!;
    if (n.kind !== 'menu') continue;
    for (const o of n.options) {
      if (best.has(o.next)) continue;
      best.set(o.next, [...best.get(n.id)!, o.key]);
      order.push(o.next);
    }
  }
  const queueName = new Map(tree.queues.map((q) => [q.id, q.name]));
  const leaves: IvrLeafMetric[] = [];
  for (const id of order) {
    const n = byId.get(id)!;
    if (n.kind === 'menu') continue;
    const keys = best.get(id)!;
    leaves.push({
      nodeId: id,
      kind: n.kind,
      label:
        n.kind === 'queue'
          ? (queueName.get(n.queue) ?? n.queue)
          : n.kind === 'article'
            ? `知识 ${n.articleId}`
            : `转 ${n.target}`,
      depth: keys.length,
      keys,
    });
  }
  const queues = tree.queues.map((q) => {
    const reach = leaves.filter((l) => {
      const n = byId.get(l.nodeId)!;
      return n.kind === 'queue' && n.queue === q.id;
    });
    const shortest = reach.sort((a, b) => a.keys.length - b.keys.length)[0];
    return { queue: q.id, name: q.name, presses: shortest ? shortest.keys.length : -1, keys: shortest?.keys ?? [] };
  });
  const maxDepth = leaves.reduce((m, l) => Math.max(m, l.depth), 0);
  const warnings: string[] = [];
  for (const l of leaves)
    if (l.depth > MAX_RECOMMENDED_DEPTH)
      warnings.push(`“${l.label}”需经过 ${l.depth} 层菜单（建议不超过 ${MAX_RECOMMENDED_DEPTH} 层）`);
  for (const q of queues) if (q.presses < 0) warnings.push(`队列“${q.name}”没有任何按键可以到达`);
  for (const n of tree.nodes)
    if (n.kind === 'menu' && !n.options.some((o) => reachesPerson(byId, o.next)))
      warnings.push(`菜单“${n.id}”没有转人工的按键`);
  return { maxDepth, leaves, queues, warnings };
}

function reachesPerson(byId: Map<string, IvrNode>, id: string): boolean {
  const n = byId.get(id);
  return n?.kind === 'queue' || n?.kind === 'transfer';
}

export interface IvrStep {
  nodeId: string;
  kind: IvrNode['kind'];
  prompt: string;
  key?: string;
}

export type IvrSimulation =
  | { status: 'waiting'; path: IvrStep[]; options: IvrOption[] }
  | { status: 'ended'; path: IvrStep[]; end: Exclude<IvrNode, { kind: 'menu' }> }
  | { status: 'invalid_key'; path: IvrStep[]; key: string; options: IvrOption[] };

/** What a caller hears pressing `keys` from the start: the path, and where it ends or waits. */
export function simulateIvr(tree: IvrTree, keys: readonly string[]): IvrSimulation {
  const byId = new Map(tree.nodes.map((n) => [n.id, n]));
  let node = byId.get(tree.root)!;
  const path: IvrStep[] = [{ nodeId: node.id, kind: node.kind, prompt: node.prompt }];
  for (const key of keys) {
    if (node.kind !== 'menu') break;
    const option = node.options.find((o) => o.key === key);
    if (!option) return { status: 'invalid_key', path, key, options: node.options };
    node = byId.get(option.next)!;
    path.push({ nodeId: node.id, kind: node.kind, prompt: node.prompt, key });
  }
  if (node.kind === 'menu') return { status: 'waiting', path, options: node.options };
  return { status: 'ended', path, end: node };
}
