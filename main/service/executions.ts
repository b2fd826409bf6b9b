// 배치 작업 and 작업 실행 as the console shows them: the job catalogue with each parameter's
// schema, executions with their steps and counters, and the four actions on them. The engine
// (JobOperator) enforces the launch rules; this file only translates.
import { allSteps, findStep, type JobDefinition, type JobExecution, type ParameterSpec, type StepExecution } from '../batch/index.ts';
import { instant, iso, type HandlerContext } from './context.ts';
import { operations, roleAtLeast, type ExecutionDetail, type ExecutionLineage, type ExecutionLink, type ExecutionSummary, type ExecutionTotals, type JobView, type Paged, type ParameterView, type ParsedInputOf, type StepView } from './contract.ts';
import { invalid, type Message } from './errors.ts';
import { describeFailure } from './failures.ts';

const NO_TOTALS: ExecutionTotals = Object.freeze({ read: 0, write: 0, skip: 0 });

/** An execution as the list shows it; `totals` from JobExplorer.executionTotals (none yet: zeros). */
export function executionSummary(e: JobExecution, totals: ExecutionTotals = NO_TOTALS): ExecutionSummary {
  const { read, write, skip } = totals;
  return {
    id: e.id,
    jobName: e.jobName,
    status: e.status,
    exitCode: String(e.exitCode),
    exitMessage: e.exitMessage,
    createTime: e.createTime.toISOString(),
    startTime: iso(e.startTime),
    endTime: iso(e.endTime),
    parameters: Object.fromEntries(e.parameters.map((p) => [p.name, p.value instanceof Date ? p.value.toISOString() : p.value])),
    launchedBy: e.launchedBy,
    external: e.external,
    totals: { read, write, skip },
  };
}

/**
 * `e` with whether this console's schedule launched it, when its schedule did (`here`: how this
 * console's schedule signs its launches; undefined: not known, and nothing is said).
 */
export function withScheduledHere<T extends ExecutionSummary>(e: T, here: string | undefined): T {
  if (here === undefined || e.external || !e.launchedBy?.startsWith('scheduler@')) return e;
  return { ...e, scheduledHere: e.launchedBy === here };
}

async function summaryWithTotals(ctx: HandlerContext, e: JobExecution): Promise<ExecutionSummary> {
  const totals = await ctx.operator.explorer.executionTotals([e.id]);
  return executionSummary(e, totals.get(e.id));
}

function stepView(s: StepExecution): StepView {
  return {
    id: s.id,
    stepName: s.stepName,
    status: s.status,
    exitCode: String(s.exitCode),
    exitMessage: s.exitMessage,
    startTime: iso(s.startTime),
    endTime: iso(s.endTime),
    readCount: s.readCount,
    writeCount: s.writeCount,
    filterCount: s.filterCount,
    commitCount: s.commitCount,
    rollbackCount: s.rollbackCount,
    readSkipCount: s.readSkipCount,
    processSkipCount: s.processSkipCount,
    writeSkipCount: s.writeSkipCount,
    executionContext: s.executionContext,
  };
}

function parameterView(name: string, spec: ParameterSpec): ParameterView {
  const d = spec.default;
  return {
    name,
    type: spec.type,
    required: spec.required,
    identifying: spec.identifying,
    default: d === undefined ? null : typeof d === 'function' ? 'computed' : d instanceof Date ? d.toISOString() : d,
    integer: spec.integer ?? false,
    min: spec.min ?? null,
    max: spec.max ?? null,
    description: spec.description ?? null,
  };
}

export function jobView(job: JobDefinition<any>): JobView {
  return {
    name: job.name,
    title: job.title ?? null,
    description: job.description ?? null,
    restartable: job.restartable,
    parameters: Object.entries(job.params as Record<string, ParameterSpec>).map(([name, spec]) => parameterView(name, spec)),
    steps: allSteps(job.flow).map((step) => ({ name: step.name, title: step.title ?? null })),
  };
}

export async function listJobs(ctx: HandlerContext): Promise<JobView[]> {
  return ctx.operator.jobs.map(jobView);
}

export async function listExecutions(ctx: HandlerContext, input: ParsedInputOf<'executions.list'>): Promise<Paged<ExecutionSummary>> {
  const page = input.page ?? 1;
  const pageSize = input.pageSize ?? 50;
  const from = input.from === undefined ? undefined : instant(ctx, 'from', input.from);
  const to = input.to === undefined ? undefined : instant(ctx, 'to', input.to);
  if (from && to && to <= from) throw invalid('to', { ko: '끝은 시작보다 뒤여야 합니다', en: 'must be after from' });
  const { total, executions } = await ctx.operator.explorer.listJobExecutions({ jobName: input.job, status: input.status, from, to, page, pageSize, hideEmpty: input.hideEmpty });
  // One grouped query for the whole page, not one per row; the same for where each stands among its instance's restarts.
  const ids = executions.map((e) => e.id);
  const [totals, links] = await Promise.all([ctx.operator.explorer.executionTotals(ids), ctx.operator.explorer.instanceExecutionLinks(ids)]);
  const admin = isAdmin(ctx);
  return {
    total,
    page,
    pageSize,
    items: executions.map((e) => {
      const item = { ...executionSummary(e, totals.get(e.id)), restartedAs: lineageOf(e, links.get(e.instanceId) ?? []).restartedAs };
      return admin ? item : { ...item, exitMessage: plainText(item.exitMessage) };
    }),
  };
}

/** Where an execution stands among its instance's executions (oldest first). */
export function lineageOf(e: JobExecution, executions: ExecutionLink[]): ExecutionLineage {
  const at = executions.findIndex((x) => x.id === e.id);
  return {
    instanceId: e.instanceId,
    executions,
    restartOf: at > 0 ? executions[at - 1]! : null,
    restartedAs: at >= 0 && at < executions.length - 1 ? executions[at + 1]! : null,
    latest: at === executions.length - 1,
  };
}

export async function getExecution(ctx: HandlerContext, input: ParsedInputOf<'executions.get'>): Promise<ExecutionDetail> {
  const execution = await ctx.operator.execution(input.id);
  const [steps, executionContext] = await Promise.all([
    ctx.operator.repository.stepExecutions(input.id),
    ctx.operator.repository.getJobExecutionContext(input.id),
  ]);
  const [totals, links] = await Promise.all([
    ctx.operator.explorer.executionTotals([execution.id]),
    ctx.operator.explorer.instanceExecutionLinks([execution.id]),
  ]);
  const lineage = lineageOf(execution, links.get(execution.instanceId) ?? []);
  const detail: ExecutionDetail = {
    ...executionSummary(execution, totals.get(execution.id)),
    restartedAs: lineage.restartedAs,
    steps: steps.map(stepView),
    executionContext,
    lineage,
    failure: describeFailure(
      execution.status,
      execution.exitMessage,
      ctx.timeZone,
      (name) => {
        const job = ctx.operator.jobs.find((j) => j.name === execution.jobName);
        return job ? findStep(job, name)?.title : null;
      },
      // the advice says "restart" to who may restart; anyone else is told to ask an admin
      { mayRestart: mayRestart(ctx) },
    ),
  };
  return isAdmin(ctx) ? detail : withoutTechnicalDetail(detail);
}

// ---- what people below ADMIN see (issue 17 item 10) ---------------------------------------------

const isAdmin = (ctx: HandlerContext) => ctx.session?.role === 'ADMIN';

/** Whether the caller may restart (and abandon) executions, as the contract says who may. */
function mayRestart(ctx: HandlerContext): boolean {
  const least = operations['executions.restart'].role;
  return least === 'PUBLIC' || (ctx.session !== null && roleAtLeast(ctx.session.role, least));
}

/** An absolute path on the server (/work/app/main/x.ts, C:\app\x.ts), kept to its file name. */
const SERVER_PATH = /(^|[\s'"(=,[])((?:file:\/\/)?(?:[A-Za-z]:)?[\\/](?:[^\s'"()\\/,]+[\\/])+)([^\s'"()\\/,]*)/g;

/** `text` with every server path in it cut to its file name ('…' for a folder ending in a slash). */
function withFileNames(text: string): string {
  return text.replace(SERVER_PATH, (_all, before: string, _folder: string, name: string) => `${before}${name || '…'}`);
}

/**
 * The engine's text as MANAGER and FRONT_DESK see it: its first line without stack frames, and
 * server paths cut to their file name. The sentence (failure.message) says what happened; the
 * rest is for whoever fixes it, an admin.
 */
export function plainText(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '' && !/^\s*at\s/.test(l)) ?? '';
  return withFileNames(line).trim();
}

/** A sentence in both languages as MANAGER and FRONT_DESK see it: a server path by its file name, as in plainText. */
const plainMessage = (message: Message): Message => ({ ko: withFileNames(message.ko), en: withFileNames(message.en) });

function plainContext(context: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(context).map(([k, v]) => [k, typeof v === 'string' ? plainText(v) : v]));
}

function withoutTechnicalDetail(detail: ExecutionDetail): ExecutionDetail {
  return {
    ...detail,
    exitMessage: plainText(detail.exitMessage),
    steps: detail.steps.map((s) => ({ ...s, exitMessage: plainText(s.exitMessage), executionContext: plainContext(s.executionContext) })),
    executionContext: plainContext(detail.executionContext),
    failure: detail.failure && { ...detail.failure, message: plainMessage(detail.failure.message), advice: plainMessage(detail.failure.advice), technical: plainText(detail.failure.technical) },
  };
}

export async function launch(ctx: HandlerContext, input: ParsedInputOf<'executions.launch'>): Promise<ExecutionSummary> {
  const launched = await ctx.auditLaunch(
    { action: 'executions.launch', target: `job:${input.job}`, detail: input },
    () => ctx.operator.start(input.job, input.params, { launchedBy: ctx.actor, now: ctx.now }),
    (l) => ({ target: `execution:${l.execution.id}`, detail: { ...input, executionId: l.execution.id } }),
  );
  return executionSummary(launched.execution);
}

export async function restart(ctx: HandlerContext, input: ParsedInputOf<'executions.restart'>): Promise<ExecutionSummary> {
  const launched = await ctx.auditLaunch(
    { action: 'executions.restart', target: `execution:${input.id}`, detail: { id: input.id } },
    () => ctx.operator.restart(input.id, { launchedBy: ctx.actor, now: ctx.now }),
    (l) => ({ detail: { id: input.id, newExecutionId: l.execution.id } }),
  );
  return executionSummary(launched.execution);
}

export async function stop(ctx: HandlerContext, input: ParsedInputOf<'executions.stop'>): Promise<ExecutionSummary> {
  const execution = await ctx.operator.stop(input.id);
  await ctx.audit({ action: 'executions.stop', target: `execution:${input.id}`, detail: input });
  return summaryWithTotals(ctx, execution);
}

export async function abandon(ctx: HandlerContext, input: ParsedInputOf<'executions.abandon'>): Promise<ExecutionSummary> {
  await ctx.operator.abandon(input.id);
  await ctx.audit({ action: 'executions.abandon', target: `execution:${input.id}`, detail: input });
  return summaryWithTotals(ctx, await ctx.operator.execution(input.id));
}

export async function markFailed(ctx: HandlerContext, input: ParsedInputOf<'executions.markFailed'>): Promise<ExecutionSummary> {
  const execution = await ctx.operator.markFailed(input.id, ctx.actor);
  await ctx.audit({ action: 'executions.markFailed', target: `execution:${input.id}`, detail: input });
  return summaryWithTotals(ctx, execution);
}
