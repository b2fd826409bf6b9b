// Database.transaction, what every chunk commits through: on both databases it goes straight to
// the driver and hands the writer a Kysely bound to the transaction's connection, made once and
// reused. These tests hold it to a transaction's promises and to the plugins of the Kysely it
// was asked from.
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { Database } from '../../main/batch/index.ts';
import { describeEachBackend, freshDatabase, type TestDatabase } from '../support/databases.ts';
import { createItemTables, targetIds } from '../fixtures/testJobs.ts';

/** Counts the queries that pass through it. */
class CountingPlugin implements KyselyPlugin {
  queries = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.queries++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

const insertTarget = (id: number) => `INSERT INTO test_target (id, value) VALUES (${id}, 'v${id}')`;

describeEachBackend('Database.transaction', (backend) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await freshDatabase(backend);
    await createItemTables(t.db);
  });
  afterEach(async () => t.dispose());

  test("the writer's rows and the run statement commit together, and a throw rolls both back", async () => {
    const changed = await t.db.transaction(async (tx) => {
      await tx.kysely.insertInto('test_target').values({ id: 1, value: 'a' }).execute();
      return tx.run(insertTarget(2), []);
    });
    expect(changed).toBe(1);
    await expect(
      t.db.transaction(async (tx) => {
        await tx.kysely.insertInto('test_target').values({ id: 3, value: 'b' }).execute();
        await tx.run(insertTarget(4), []);
        throw new Error('the chunk failed');
      }),
    ).rejects.toThrow('the chunk failed');
    expect(await targetIds(t.db.kysely)).toEqual([1, 2]);
  });

  test('a failing statement rolls the transaction back and the next transaction starts clean', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await tx.run(insertTarget(1), []);
        await tx.run(insertTarget(1), []); // the same key again
      }),
    ).rejects.toThrow();
    await t.db.transaction((tx) => tx.run(insertTarget(2), []));
    expect(await targetIds(t.db.kysely)).toEqual([2]);
  });

  test("a copy with a plugin added runs its transactions' queries through the plugin, after the original has run one too", async () => {
    await t.db.transaction((tx) => tx.kysely.insertInto('test_target').values({ id: 1, value: 'a' }).execute());
    const plugin = new CountingPlugin();
    const copy: Database = { ...t.db, kysely: t.db.kysely.withPlugin(plugin) };
    await copy.transaction((tx) => tx.kysely.insertInto('test_target').values({ id: 2, value: 'b' }).execute());
    await copy.transaction((tx) => tx.kysely.insertInto('test_target').values({ id: 3, value: 'c' }).execute());
    expect(plugin.queries).toBe(2);
    await t.db.transaction((tx) => tx.kysely.insertInto('test_target').values({ id: 4, value: 'd' }).execute());
    expect(plugin.queries).toBe(2);
    expect(await targetIds(t.db.kysely)).toEqual([1, 2, 3, 4]);
  });

  test('a query made outside an open transaction is not part of it: it stays when the transaction rolls back', async () => {
    // the first transaction makes the bound Kysely; this one is about those after it
    await t.db.transaction((tx) => tx.run('DELETE FROM test_target WHERE id < 0', []));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const rolledBack = t.db
      .transaction(async (tx) => {
        await tx.run(insertTarget(1), []);
        entered();
        await held;
        throw new Error('rolled back on purpose');
      })
      .catch((error: Error) => error.message);
    await inside;
    // On SQLite this waits for the transaction's end (one connection); on MySQL it runs on another.
    const outside = t.db.kysely.insertInto('test_target').values({ id: 2, value: 'outside' }).execute();
    // time for the outside insert to run, were it not made to wait (it is not what is asserted)
    await new Promise((resolve) => setTimeout(resolve, 50));
    release();
    expect(await rolledBack).toBe('rolled back on purpose');
    await outside;
    expect(await targetIds(t.db.kysely)).toEqual([2]);
  });

  test('twenty transactions at once each commit their own row, once', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.db.transaction(async (tx) => {
          await tx.kysely.insertInto('test_target').values({ id: i + 1, value: `v${i + 1}` }).execute();
          return tx.run(`UPDATE test_target SET written_by = ${i + 1} WHERE id = ${i + 1}`, []);
        }),
      ),
    );
    const rows = await t.db.kysely.selectFrom('test_target').select(['id', 'written_by']).orderBy('id').execute();
    expect(rows.map((r) => [Number(r.id), Number(r.written_by)])).toEqual(Array.from({ length: 20 }, (_, i) => [i + 1, i + 1]));
  });
});
