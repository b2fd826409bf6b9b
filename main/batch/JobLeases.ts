// Who runs which execution: each execution launched here has an owner row (BATCH_JOB_EXECUTION_OWNER,
// beside Spring Batch's tables) naming the process that runs it and how long its lease lasts.
// That process renews the lease with a heartbeat; recovery (JobOperator.recoverOrphans) reads
// the leases of running executions to find the ones whose process died.
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { fromDbTime, toDbTime } from './database/dialect.ts';
import type { ExecutionRows, Executor } from './executionRows.ts';
import type { JobExecution } from './model.ts';
import { RUNNING_STATUSES, type BatchStatus } from './status.ts';

export interface Owner {
  id: string;
  host: string;
  pid: number;
}

export function currentOwner(id: string): Owner {
  return { id, host: hostname(), pid: process.pid };
}

/** An execution's owner row. */
export interface Lease {
  jobExecutionId: number;
  launchedBy: string | null;
  owner: Owner;
  heartbeatAt: Date;
  expiresAt: Date;
}

export class JobLeases {
  constructor(
    private readonly db: Kysely<any>,
    private readonly rows: ExecutionRows,
  ) {}

  /** Records `owner` as running a new execution, its lease running `leaseMs` from `now`. */
  async claim(tx: Executor, jobExecutionId: number, owner: Owner, launchedBy: string | null, leaseMs: number, now: Date): Promise<void> {
    await tx
      .insertInto('BATCH_JOB_EXECUTION_OWNER')
      .values({
        JOB_EXECUTION_ID: jobExecutionId,
        LAUNCHED_BY: launchedBy,
        OWNER_ID: owner.id,
        HOST: owner.host,
        PID: owner.pid,
        HEARTBEAT_AT: toDbTime(now),
        LEASE_EXPIRES_AT: toDbTime(new Date(now.getTime() + leaseMs)),
      })
      .execute();
  }

  async leasesOf(tx: Executor, ids: number[]): Promise<Map<number, Lease>> {
    if (!ids.length) return new Map();
    const rows = await tx.selectFrom('BATCH_JOB_EXECUTION_OWNER').selectAll().where('JOB_EXECUTION_ID', 'in', ids).execute();
    return new Map(rows.map((r) => [Number(r.JOB_EXECUTION_ID), toLease(r)]));
  }

  /** Executions whose status says a process works on them, with their owner's lease. */
  async runningExecutions(tx: Executor = this.db): Promise<Array<{ execution: JobExecution; lease: Lease | undefined }>> {
    const rows = await this.rows
      .jobExecutionQuery(tx)
      .where('e.STATUS', 'in', RUNNING_STATUSES as BatchStatus[])
      .execute();
    const leases = await this.leasesOf(tx, rows.map((r) => Number(r.JOB_EXECUTION_ID)));
    return rows.map((r) => ({ execution: this.rows.toJobExecution(r), lease: leases.get(Number(r.JOB_EXECUTION_ID)) }));
  }

  /** Renews this process's leases; a process that stops calling this loses them. */
  async heartbeat(ownerId: string, executionIds: number[], leaseMs: number): Promise<void> {
    if (!executionIds.length) return;
    const now = new Date();
    await this.db
      .updateTable('BATCH_JOB_EXECUTION_OWNER')
      .set({ HEARTBEAT_AT: toDbTime(now), LEASE_EXPIRES_AT: toDbTime(new Date(now.getTime() + leaseMs)) })
      .where('OWNER_ID', '=', ownerId)
      .where('JOB_EXECUTION_ID', 'in', executionIds)
      .execute();
  }
}

function toLease(r: any): Lease {
  return {
    jobExecutionId: Number(r.JOB_EXECUTION_ID),
    launchedBy: r.LAUNCHED_BY ?? null,
    owner: { id: String(r.OWNER_ID), host: String(r.HOST), pid: Number(r.PID) },
    heartbeatAt: fromDbTime(r.HEARTBEAT_AT),
    expiresAt: fromDbTime(r.LEASE_EXPIRES_AT),
  };
}
