// What a Kysely query touches, seen from a plugin: the first table it names and whether it
// writes. The crash child and the database-away test pick their moments with it.
import type { KyselyPlugin, RootOperationNode } from 'kysely';

/** The first table a query names, and whether it reads or writes. */
export function classify(node: RootOperationNode): { table: string | null; writes: boolean } {
  let table: string | null = null;
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (table || !value || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    const record = value as Record<string, unknown>;
    if (record.kind === 'TableNode') {
      const identifier = (record.table as { identifier?: { name?: string } } | undefined)?.identifier;
      if (identifier?.name) table = identifier.name;
      return;
    }
    for (const child of Object.values(record)) visit(child);
  };
  visit(node);
  const writes = node.kind === 'InsertQueryNode' || node.kind === 'UpdateQueryNode' || node.kind === 'DeleteQueryNode';
  return { table, writes };
}


/** Calls `onWrite(n)` after the nth business-table write (not BATCH_ metadata) has returned. */
export function onBusinessWrites(onWrite: (n: number) => void): KyselyPlugin {
  const kinds = new Map<string, { table: string | null; writes: boolean }>();
  let writes = 0;
  return {
    transformQuery: (args) => {
      kinds.set(args.queryId.queryId, classify(args.node));
      return args.node;
    },
    transformResult: async (args) => {
      const kind = kinds.get(args.queryId.queryId);
      kinds.delete(args.queryId.queryId);
      if (kind?.writes && kind.table && !kind.table.startsWith('BATCH_')) onWrite(++writes);
      return args.result;
    },
  };
}
