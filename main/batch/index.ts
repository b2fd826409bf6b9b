// The batch engine's public surface. It knows nothing of passes: any business's jobs run on it.
export * from './status.ts';
export * from './model.ts';
export * from './parameters.ts';
export * from './job.ts';
export * from './events.ts';
export * from './errors.ts';
export { JobRepository, OptimisticLockingFailureError, type ExecutionFilter, type ExecutionTotals } from './JobRepository.ts';
export { JobOperator, type Launched, type LaunchOptions, type OperatorOptions } from './JobOperator.ts';
export { SkipLimitExceededError } from './stepRunner.ts';
export { partitionWorker, type PartitionTask } from './partition.ts';
export { listReader } from './items/listReader.ts';
export { keysetReader, type KeysetReaderOptions } from './items/keysetReader.ts';
export { batchInsertWriter, sqlWriter } from './items/sqlWriters.ts';
export { csvFileWriter } from './items/csvFileWriter.ts';
export { openDatabase, databaseUrlFromEnv, defaultDatabaseUrl, DatabaseUrlError, redactUrl, type Database } from './database/connection.ts';
export { toDbTime, fromDbTime, isTransientDatabaseError, isDuplicateKeyError, forUpdate, insertIgnore, greatest, type Dialect } from './database/dialect.ts';
export { migrateToLatest, MigrationError, type Migrations } from './database/migrator.ts';
export * from './scheduler/index.ts';
