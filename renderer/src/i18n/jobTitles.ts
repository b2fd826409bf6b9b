// The jobs and their steps as staff see them ("이용권 만료", "끝난 이용권 만료"): each job's
// definition carries its titles (main/pass/jobs/*.ts, defineJob) and jobs.list brings them here,
// so a new job needs no words in renderer/. jobs.list is for managers and up, the roles whose
// screens (executions, schedules) name jobs and steps; the front desk starts the grant and import
// jobs from screens with words of their own and never sees a job's code name.
import type { JobView } from '../../../main/service/contract.ts';
import { useExecutions } from '../stores/executions.ts';
import { translate, useT } from './i18n.ts';
import type { Lang } from './words.ts';

/** A job's title; a job jobs.list doesn't know (another application's, or not loaded yet) shows its code name. */
export function jobTitle(jobs: readonly JobView[], name: string, lang: Lang): string {
  return jobs.find((j) => j.name === name)?.title?.[lang] ?? name;
}

/**
 * A step as staff see it: its title ("일간 보고서 작성") or, for one partition of a partitioned
 * step ("usePassesStep:partition0"), its number counted from 1 ("구간 1"); `code` is the name
 * the engine and the command line use. The step is looked up in its job when the job is known,
 * else in every job; a step without a title shows its code name only.
 */
export function stepTitle(stepName: string, lang: Lang, jobs: readonly JobView[], jobName?: string): { title: string; code: string | null } {
  const partition = /:partition(\d+)$/.exec(stepName);
  if (partition) return { title: translate(lang, 'partitionNumber', { n: Number(partition[1]) + 1 }), code: stepName.replace(/^.*:/, '') };
  const where = jobName === undefined ? jobs : jobs.filter((j) => j.name === jobName);
  const title = where.flatMap((j) => j.steps).find((s) => s.name === stepName)?.title;
  return title ? { title: title[lang], code: stepName } : { title: stepName, code: null };
}

/** The job list's titles in the current language (jobs.list, as the executions store holds it). */
export function useJobTitles(): { job: (name: string) => string; step: (stepName: string, jobName?: string) => { title: string; code: string | null } } {
  const { lang } = useT();
  const jobs = useExecutions((s) => s.jobs);
  const list = 'data' in jobs && jobs.data ? jobs.data : [];
  return {
    job: (name) => jobTitle(list, name, lang),
    step: (stepName, jobName) => stepTitle(stepName, lang, list, jobName),
  };
}

/** A job as staff see it ("이용권 만료"); see jobTitle. */
export function useJobTitle(): (name: string) => string {
  return useJobTitles().job;
}
