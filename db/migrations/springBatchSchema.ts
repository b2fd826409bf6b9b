// Which Spring Batch made the metadata tables already in a database, so that migration 001 can
// adopt them or refuse them, saying what it found, before anything is changed.
//
// Spring Batch 5.0–5.2 and 6.0 declare the same six tables with the same columns
// (spring-batch-core's schema-mysql.sql and schema-sqlite.sql); they differ only in the table
// instance ids come from: 6.0 renamed BATCH_JOB_SEQ to BATCH_JOB_INSTANCE_SEQ (its
// migration/6.0 scripts). Spring Batch 4 and older kept parameters in TYPE_CD / KEY_NAME /
// *_VAL columns and had no step CREATE_TIME; Spring's migration/5.0 scripts upgrade them.
import type { Kysely, TableMetadata } from 'kysely';
import { SPRING_SEQUENCES } from '../../main/batch/database/dialect.ts';

/** The six tables' columns in Spring Batch 5 and 6 alike. */
export const SPRING_BATCH_TABLES: Record<string, string[]> = {
  BATCH_JOB_INSTANCE: ['JOB_INSTANCE_ID', 'VERSION', 'JOB_NAME', 'JOB_KEY'],
  BATCH_JOB_EXECUTION: ['JOB_EXECUTION_ID', 'VERSION', 'JOB_INSTANCE_ID', 'CREATE_TIME', 'START_TIME', 'END_TIME', 'STATUS', 'EXIT_CODE', 'EXIT_MESSAGE', 'LAST_UPDATED'],
  BATCH_JOB_EXECUTION_PARAMS: ['JOB_EXECUTION_ID', 'PARAMETER_NAME', 'PARAMETER_TYPE', 'PARAMETER_VALUE', 'IDENTIFYING'],
  BATCH_STEP_EXECUTION: [
    'STEP_EXECUTION_ID', 'VERSION', 'STEP_NAME', 'JOB_EXECUTION_ID', 'CREATE_TIME', 'START_TIME', 'END_TIME', 'STATUS',
    'COMMIT_COUNT', 'READ_COUNT', 'FILTER_COUNT', 'WRITE_COUNT', 'READ_SKIP_COUNT', 'WRITE_SKIP_COUNT', 'PROCESS_SKIP_COUNT', 'ROLLBACK_COUNT',
    'EXIT_CODE', 'EXIT_MESSAGE', 'LAST_UPDATED',
  ],
  BATCH_STEP_EXECUTION_CONTEXT: ['STEP_EXECUTION_ID', 'SHORT_CONTEXT', 'SERIALIZED_CONTEXT'],
  BATCH_JOB_EXECUTION_CONTEXT: ['JOB_EXECUTION_ID', 'SHORT_CONTEXT', 'SERIALIZED_CONTEXT'],
};

/** Columns only Spring Batch 4 and older declare. */
const VERSION_4_COLUMNS: Record<string, string[]> = {
  BATCH_JOB_EXECUTION: ['JOB_CONFIGURATION_LOCATION'],
  BATCH_JOB_EXECUTION_PARAMS: ['TYPE_CD', 'KEY_NAME', 'STRING_VAL', 'DATE_VAL', 'LONG_VAL', 'DOUBLE_VAL'],
};

const IDS: Record<string, string> = { BATCH_JOB_INSTANCE: 'JOB_INSTANCE_ID', BATCH_JOB_EXECUTION: 'JOB_EXECUTION_ID', BATCH_STEP_EXECUTION: 'STEP_EXECUTION_ID' };
const KNOWN_SEQUENCES = new Set<string>([...Object.values(SPRING_SEQUENCES[5]), ...Object.values(SPRING_SEQUENCES[6])]);
const isSequenceTable = (name: string) => /^BATCH_.*_SEQ$/.test(name);

export class SpringBatchSchemaError extends Error {
  override name = 'SpringBatchSchemaError';
}

/**
 * What migration 001 found: nothing of Spring Batch's (create our tables), Spring Batch 5's or
 * 6's whole schema (adopt it; ids from its sequence tables), or the six tables with ids that
 * auto-increment and no sequence tables (adopt; ids from the database).
 */
export type SpringBatchSchema = 'none' | 'spring-batch-5' | 'spring-batch-6' | 'auto-increment';

/** What is wrong, by what it suggests the schema is. */
interface Findings {
  version4: string[];
  newer: string[];
  missing: string[];
  ambiguous: string[];
}

/**
 * Recognises the Spring Batch schema in `db` (see SpringBatchSchema); throws a
 * SpringBatchSchemaError naming what differs, with advice that fits it, for any other.
 */
export async function recogniseSpringBatchSchema(db: Kysely<any>, mysql: boolean): Promise<SpringBatchSchema> {
  const tables = new Map((await db.introspection.getTables()).map((t) => [t.name.toUpperCase(), t]));
  const sequences = [...tables.keys()].filter(isSequenceTable);
  if (!Object.keys(SPRING_BATCH_TABLES).some((name) => tables.has(name)) && !sequences.length) return 'none';

  const found: Findings = { version4: [], newer: [], missing: [], ambiguous: [] };
  compareTables(tables, found);
  const known = sequences.filter((name) => KNOWN_SEQUENCES.has(name));
  const unknown = sequences.filter((name) => !KNOWN_SEQUENCES.has(name));
  if (unknown.length) found.newer.push(`${unknown.join(', ')}: ${unknown.length > 1 ? 'id sequence tables' : 'an id sequence table'} neither Spring Batch 5 nor 6 has`);

  compareSequences(tables, known, found);

  const complete = ([5, 6] as const).filter((v) => Object.values(SPRING_SEQUENCES[v]).every((name) => tables.has(name)));
  let schema: SpringBatchSchema;
  if (complete.length === 2) {
    schema = 'spring-batch-6';
    found.ambiguous.push(
      `both ${SPRING_SEQUENCES[5].instance} (Spring Batch 5's) and ${SPRING_SEQUENCES[6].instance} (Spring Batch 6's) exist, so it is unclear which one the application takes instance ids from`,
    );
  } else if (complete.length === 1) {
    schema = `spring-batch-${complete[0]!}`;
  } else {
    schema = 'auto-increment';
    if (known.length) {
      found.missing.push(`of Spring Batch's id sequence tables only ${known.join(', ')} exist${known.length > 1 ? '' : 's'}`);
    } else if (mysql) {
      for (const [name, id] of Object.entries(IDS)) {
        if (tables.get(name)?.columns.find((col) => col.name.toUpperCase() === id)?.isAutoIncrementing === false) {
          found.missing.push(`${name}.${id} is not AUTO_INCREMENT and there is no ${SPRING_SEQUENCES[6].instance} or ${SPRING_SEQUENCES[5].instance} table to take ids from`);
        }
      }
    }
  }
  const refusal = refusalFor(found);
  if (refusal) throw new SpringBatchSchemaError(refusal);
  return schema;
}

/** Each of the six tables against the columns Spring Batch 5 and 6 declare. */
function compareTables(tables: Map<string, TableMetadata>, found: Findings): void {
  for (const [name, columns] of Object.entries(SPRING_BATCH_TABLES)) {
    const table = tables.get(name);
    if (!table) {
      found.missing.push(`${name} is missing`);
      continue;
    }
    const have = table.columns.map((col) => col.name.toUpperCase());
    const lacks = columns.filter((col) => !have.includes(col));
    const extra = have.filter((col) => !columns.includes(col));
    const old = extra.filter((col) => VERSION_4_COLUMNS[name]?.includes(col));
    const added = extra.filter((col) => !old.includes(col));
    const differences = [lacks.length && `lacks ${lacks.join(', ')}`, old.length && `has ${old.join(', ')}`].filter(Boolean);
    if (old.length) found.version4.push(`${name} ${differences.join(' and ')}`);
    else if (lacks.length) found.missing.push(`${name} lacks ${lacks.join(', ')}`);
    if (added.length) found.newer.push(`${name} has ${added.join(', ')}, which neither Spring Batch 5 nor 6 declares`);
  }
}

/**
 * Spring's incrementers take ids from a one-row table with an ID column (schema-mysql.sql, an
 * AUTOINCREMENT table in schema-sqlite.sql) or, in schema-mariadb.sql, from MariaDB SEQUENCE
 * objects; the JobRepository takes them the same way, one way for all three.
 */
function compareSequences(tables: Map<string, TableMetadata>, known: string[], found: Findings): void {
  const kinds = new Map<string, string[]>();
  for (const name of known) {
    const columns = tables.get(name)!.columns.map((col) => col.name.toUpperCase());
    const kind = columns.includes('NEXT_NOT_CACHED_VALUE') ? 'SEQUENCE objects' : columns.includes('ID') ? 'tables' : null;
    if (!kind) found.newer.push(`${name} has no ID column (${columns.join(', ')})`);
    else kinds.set(kind, [...(kinds.get(kind) ?? []), name]);
  }
  if (kinds.size > 1) found.newer.push(`its id sequences are of two kinds: ${[...kinds].map(([kind, names]) => `${kind} (${names.join(', ')})`).join(' and ')}`);
}

/** The refusal's whole message, or null when the schema can be adopted. */
function refusalFor(found: Findings): string | null {
  const unchanged = '(or point PASS_DB_URL at another database); nothing was changed.';
  if (found.version4.length) {
    const what = [...found.version4, ...found.missing, ...found.newer].join('; ');
    return (
      `This database has Spring Batch 4's tables (or older), not Spring Batch 5's or 6's: ${what}. ` +
      `Upgrade them with Spring Batch's 5.0 migration script for your database (spring-batch-core's ` +
      `org/springframework/batch/core/migration/5.0/migration-<database>.sql; for Spring Batch 6, its 6.0 script after it) ${unchanged}`
    );
  }
  if (found.newer.length) {
    const what = [...found.newer, ...found.missing, ...found.ambiguous].join('; ');
    return (
      `This database has Spring Batch tables that differ from Spring Batch 5's and 6's: ${what}. ` +
      `Pass Console adopts the schemas of Spring Batch 5 and 6; a newer or changed one it does not know yet ${unchanged}`
    );
  }
  if (found.ambiguous.length) {
    return (
      `This database has Spring Batch's tables, but ${found.ambiguous.join('; ')}. ` +
      `Drop or rename the one it no longer uses (Spring Batch 6.0's migration script renames ${SPRING_SEQUENCES[5].instance}) ${unchanged}`
    );
  }
  if (found.missing.length) {
    return (
      `This database has only part of Spring Batch's tables, not Spring Batch 5's or 6's whole schema: ${found.missing.join('; ')}. ` +
      `Complete it with the schema-<database>.sql of the Spring Batch version your application runs ${unchanged}`
    );
  }
  return null;
}
