// What went wrong, in words staff can act on. The engine writes its exit messages in English
// for logs and the command line (errno text, UTC times, recovery notes); this turns the ones we
// know into a sentence in Korean and English with the gym's local time and what to do next,
// keeping the raw text as the technical detail. Refusals of the engine (BatchError) get their
// Korean here too, with the reason the English gives.
import { getJosaPicker } from 'josa';
import { DateTime } from 'luxon';
import type { RunningExecution } from '../batch/index.ts';
import type { Message } from './errors.ts';

export type FailureKind =
  | 'folder'
  | 'not-found'
  | 'no-permission'
  | 'disk-full'
  | 'database'
  | 'parameter'
  | 'recovered'
  | 'marked-failed'
  | 'stopped'
  | 'unknown';

export interface FailureView {
  kind: FailureKind;
  /** what happened, one sentence */
  message: Message;
  /**
   * what to do next, for the one reading it: who may restart and abandon executions is told to;
   * anyone else to fix what they can and ask an admin
   */
  advice: Message;
  /** the engine's own text (errno, stack lines), for whoever fixes it */
  technical: string;
}

const subject = getJosaPicker('이');
const topic = getJosaPicker('은');
const object = getJosaPicker('을');

const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/;

/** An ISO instant as the gym reads it: "2026. 12. 1. 00:00" / "Dec 1, 2026, 00:00". */
export function localTime(iso: string, timeZone: string): Message {
  const t = DateTime.fromISO(iso, { setZone: true }).setZone(timeZone);
  if (!t.isValid) return { ko: iso, en: iso };
  return { ko: t.toFormat('yyyy. M. d. HH:mm'), en: t.setLocale('en-US').toFormat('MMM d, yyyy, HH:mm') };
}

/** Every ISO instant in `text` in the gym's local time (for English sentences kept as written). */
function localised(text: string, timeZone: string, lang: keyof Message): string {
  return text.replace(new RegExp(ISO.source, 'g'), (iso) => localTime(iso, timeZone)[lang]);
}

/** Who reads the advice: whether they may restart and abandon executions (executions.restart's role), or must ask an admin. */
export interface FailureReader {
  mayRestart: boolean;
}

/** The role that restarts, as the screens name it (ROLE_NAME.ADMIN): '관리자에게' takes no particle that changes with it. */
const ADMIN: Message = { ko: '관리자', en: 'an admin' };

/**
 * "Do `fix`, then restart", as its reader can: `fix` is a clause that ends where the restart
 * begins ('…확보한 뒤' / 'Free some disk space'); `after` what follows the restart, a sentence
 * of its own in Korean and a clause after a semicolon in English.
 */
function fixThenRestart(reader: FailureReader, fix: Message, after?: Message): Message {
  const ko = reader.mayRestart ? `${fix.ko} 재시작하세요.` : `${fix.ko} ${ADMIN.ko}에게 재시작을 부탁하세요.`;
  const en = reader.mayRestart ? `${fix.en}, then restart` : `${fix.en}, then ask ${ADMIN.en} to restart it`;
  return after ? { ko: `${ko} ${after.ko}`, en: `${en}; ${after.en}.` } : { ko, en: `${en}.` };
}

/** "writeDailyReportStep: EEXIST: ..." → the step's name and the rest. */
function stepOf(text: string): { step: string | null; rest: string } {
  const m = /^([A-Za-z][\w]*(?::partition\d+)?): ([\s\S]*)$/.exec(text);
  return m ? { step: m[1]!, rest: m[2]! } : { step: null, rest: text };
}

/** Known window refusals, the same in a launch refusal and in an old execution's exit message. */
function windowProblem(text: string, timeZone: string): Message | null {
  const m = new RegExp(`"to" \\((${ISO.source})\\) must come after "from" \\((${ISO.source})\\)`).exec(text);
  if (!m) return null;
  const to = localTime(m[1]!, timeZone);
  const from = localTime(m[2]!, timeZone);
  return {
    ko: `집계 끝(${to.ko})이 집계 시작(${from.ko})보다 뒤여야 합니다.`,
    en: `The window's end (${to.en}) must come after its start (${from.en}).`,
  };
}

/** importMembersJob's launch check on its file (English only), said in Korean, or null. */
function importFileProblem(text: string): string | null {
  const m = /^Parameter "file": (.*)$/s.exec(text);
  if (!m) return null;
  const reason = m[1]!;
  const missing = /^there is no file (.+)$/s.exec(reason);
  if (missing) return `가져올 파일이 없습니다: ${missing[1]}. 회원 가져오기 화면에서 파일을 올리거나, 데이터 폴더에 있는 파일을 고르세요.`;
  if (/^only \.csv and \.xlsx files can be imported$/.test(reason)) return '가져올 수 있는 파일은 .csv와 .xlsx 파일뿐입니다.';
  if (/^the path holds a NUL character$/.test(reason)) return '파일 경로에 쓸 수 없는 문자(NUL)가 있습니다.';
  const unreadable = /^(.+) can't be read \((.*)\)$/s.exec(reason);
  if (unreadable) return `가져올 파일 ${unreadable[1]}을(를) 읽을 수 없습니다 (${unreadable[2]}).`;
  return null;
}

/**
 * Where it happened: the step by its title when the job gives one ('일간 보고서 작성' 단계에서, as
 * the step table names it), else by its code name; a partition (`deductStep:partition1`) is its
 * step's.
 */
function inStepWords(step: string | null, stepTitle: (name: string) => Message | null | undefined): Message {
  if (!step) return { ko: '', en: '' };
  const title = stepTitle(step.replace(/:partition\d+$/, ''));
  return title ? { ko: `'${title.ko}' 단계에서 `, en: `In the step “${title.en}”: ` } : { ko: `단계 ${step}에서 `, en: `In step ${step}: ` };
}

/**
 * An execution's end in words, or null when there is nothing to explain (it completed, or it has
 * no message). `status` is the execution's; `exitMessage` its EXIT_MESSAGE; `stepTitle` the
 * job's title of a step, by the step's name.
 */
export function describeFailure(
  status: string,
  exitMessage: string,
  timeZone: string,
  stepTitle: (name: string) => Message | null | undefined = () => null,
  reader: FailureReader = { mayRestart: true },
): FailureView | null {
  const technical = exitMessage ?? '';
  if (!technical.trim() || status === 'COMPLETED') return null;
  const view = (kind: FailureKind, message: Message, advice: Message): FailureView => ({ kind, message, advice, technical });
  const firstLine = technical.split('\n')[0]!;
  const { step, rest } = stepOf(firstLine);
  const inStep = inStepWords(step, stepTitle);

  if (/^Stopped at a chunk boundary on request/.test(rest)) {
    return view(
      'stopped',
      { ko: '요청에 따라 청크 경계에서 중지되었습니다.', en: 'Stopped at a chunk boundary, as asked.' },
      reader.mayRestart
        ? { ko: '재시작하면 멈춘 곳부터 이어서 합니다. 다시 하지 않으려면 포기하세요.', en: 'Restart to go on from where it stopped, or abandon it if it should not run again.' }
        : {
            ko: `멈춘 곳부터 이어서 하려면 ${ADMIN.ko}에게 재시작을, 다시 하지 않으려면 포기를 부탁하세요.`,
            en: `Ask ${ADMIN.en} to restart it to go on from where it stopped, or to abandon it if it should not run again.`,
          },
    );
  }

  const recovery = /^Marked FAILED by recovery: ([\s\S]*)$/.exec(rest);
  if (recovery) {
    const why = recovery[1]!;
    const times = why.match(new RegExp(ISO.source, 'g')) ?? [];
    const at = times.length ? localTime(times[times.length - 1]!, timeZone) : null;
    const pid = /pid (\d+) on ([^)\s]+)/.exec(why);
    const who: Message = pid ? { ko: `이 실행을 돌리던 프로그램(${pid[2]}, pid ${pid[1]})`, en: `The program running it (pid ${pid[1]} on ${pid[2]})` } : { ko: '이 실행을 돌리던 프로그램', en: 'The program running it' };
    let message: Message;
    if (/ended without finishing/.test(why)) {
      message = { ko: `${who.ko}${topic(who.ko)} 끝내지 못하고 종료되었습니다${at ? ` (마지막 신호 ${at.ko})` : ''}.`, en: `${who.en} ended without finishing${at ? ` (last heard from ${at.en})` : ''}.` };
    } else if (/stopped sending heartbeats/.test(why)) {
      message = { ko: `${who.ko}${subject(who.ko)} ${at ? `${at.ko} 이후 ` : ''}응답하지 않아 실패로 정리했습니다.`, en: `${who.en} stopped answering${at ? ` after ${at.en}` : ''}, so it was marked failed.` };
    } else if (/no process has owned/.test(why)) {
      message = { ko: `${at ? `${at.ko} 이후 ` : ''}이 실행을 맡은 프로그램이 없어 실패로 정리했습니다.`, en: `No program had been running it${at ? ` since ${at.en}` : ''}, so it was marked failed.` };
    } else {
      message = { ko: '이 실행을 돌리던 프로그램이 실행을 놓쳐 실패로 정리했습니다.', en: 'The program running it lost track of it, so it was marked failed.' };
    }
    return view(
      'recovered',
      message,
      reader.mayRestart
        ? { ko: '재시작하면 마지막으로 커밋된 청크부터 이어서 합니다. 이미 처리된 항목은 다시 처리하지 않습니다.', en: 'Restart it to go on from the last committed chunk; nothing already done is done again.' }
        : {
            ko: `${ADMIN.ko}에게 재시작을 부탁하세요. 마지막으로 커밋된 청크부터 이어서 하고, 이미 처리된 항목은 다시 처리하지 않습니다.`,
            en: `Ask ${ADMIN.en} to restart it: it goes on from the last committed chunk, and nothing already done is done again.`,
          },
    );
  }

  const marked = new RegExp(`^Marked FAILED(?: by (\\S+))? on (${ISO.source})`).exec(rest);
  if (marked) {
    const at = localTime(marked[2]!, timeZone);
    return view(
      'marked-failed',
      {
        ko: `${marked[1] ? `${marked[1]}님이 ` : ''}${at.ko}에 실패로 표시했습니다. 이 실행을 돌리던 다른 프로그램이 멈춰 있었습니다.`,
        en: `${marked[1] ? `${marked[1]} marked it failed` : 'Marked failed'} on ${at.en}: the other program running it had stopped.`,
      },
      { ko: '그 프로그램(Spring Batch 애플리케이션)에서 재시작하세요.', en: 'Restart it in that program (the Spring Batch application).' },
    );
  }

  const window = windowProblem(rest, timeZone);
  if (window) {
    return view(
      'parameter',
      window,
      reader.mayRestart
        ? { ko: '이 실행은 다시 해도 성공할 수 없습니다. 포기하고, 날짜를 바로잡아 새로 실행하세요.', en: 'This execution can never succeed: abandon it and run the job again with the dates corrected.' }
        : {
            ko: `이 실행은 다시 해도 성공할 수 없습니다. ${ADMIN.ko}에게 포기하고 날짜를 바로잡아 새로 실행해 달라고 부탁하세요.`,
            en: `This execution can never succeed: ask ${ADMIN.en} to abandon it and run the job again with the dates corrected.`,
          },
    );
  }
  const parameter = /Parameter "([^"]+)"/.exec(rest);
  if (parameter) {
    return view(
      'parameter',
      { ko: `${inStep.ko}실행 조건 ${parameter[1]}${object(parameter[1]!)} 받아들일 수 없어 실패했습니다.`, en: `${inStep.en}the parameter ${parameter[1]} was refused.` },
      reader.mayRestart
        ? { ko: '포기하고, 실행 조건을 바로잡아 새로 실행하세요.', en: 'Abandon it and run the job again with the parameter corrected.' }
        : { ko: `${ADMIN.ko}에게 포기하고 실행 조건을 바로잡아 새로 실행해 달라고 부탁하세요.`, en: `Ask ${ADMIN.en} to abandon it and run the job again with the parameter corrected.` },
    );
  }

  const errno = /\b(EEXIST|ENOTDIR|ENOENT|EACCES|EPERM|EROFS|ENOSPC|EISDIR)\b[^']*'([^']+)'/.exec(rest);
  if (errno) {
    const [, code, path] = errno as unknown as [string, string, string];
    switch (code) {
      case 'EEXIST':
      case 'ENOTDIR':
      case 'EISDIR':
        return view(
          'folder',
          { ko: `${inStep.ko}폴더 ${path}${object(path)} 만들거나 쓸 수 없습니다. 그 경로 중간에 폴더가 아닌 파일이 있습니다.`, en: `${inStep.en}the folder ${path} cannot be made or written: a file, not a folder, is in its way.` },
          fixThenRestart(reader, { ko: '그 파일을 옮기거나 실행 조건의 폴더를 바꾼 뒤', en: 'Move that file out of the way (or choose another folder)' }),
        );
      case 'ENOENT':
        return view(
          'not-found',
          { ko: `${inStep.ko}${path}${object(path)} 찾을 수 없습니다.`, en: `${inStep.en}${path} does not exist.` },
          fixThenRestart(reader, { ko: '그 폴더나 파일이 있는지 확인한 뒤', en: 'Check that the folder or file is there' }),
        );
      case 'ENOSPC':
        return view(
          'disk-full',
          { ko: `${inStep.ko}디스크 공간이 부족해 ${path}에 쓰지 못했습니다.`, en: `${inStep.en}the disk is full; ${path} could not be written.` },
          fixThenRestart(reader, { ko: '디스크 공간을 확보한 뒤', en: 'Free some disk space' }, { ko: '반쯤 쓴 파일은 남지 않습니다.', en: 'no half-written file is left behind' }),
        );
      default:
        return view(
          'no-permission',
          { ko: `${inStep.ko}${path}에 쓸 권한이 없습니다.`, en: `${inStep.en}there is no permission to write ${path}.` },
          fixThenRestart(reader, { ko: '그 폴더의 권한을 고치거나 다른 폴더를 지정한 뒤', en: 'Fix the folder’s permissions (or choose another folder)' }),
        );
    }
  }

  if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|PROTOCOL_CONNECTION_LOST|Connection lost|connect ECONN|ER_ACCESS_DENIED|Can't connect|database is locked|SQLITE_BUSY/i.test(rest)) {
    return view(
      'database',
      { ko: `${inStep.ko}데이터베이스에 연결할 수 없어 멈췄습니다.`, en: `${inStep.en}the database could not be reached, so it stopped.` },
      fixThenRestart(
        reader,
        { ko: '데이터베이스 서버가 켜져 있고 네트워크가 연결되어 있는지 확인한 뒤', en: 'Check that the database server is up and reachable' },
        { ko: '커밋된 청크는 그대로 있습니다.', en: 'committed chunks are kept' },
      ),
    );
  }

  return view(
    'unknown',
    { ko: `${inStep.ko}오류가 나 ${status === 'STOPPED' ? '중지되었습니다' : '실패했습니다'}.`, en: `${inStep.en}it ${status === 'STOPPED' ? 'stopped' : 'failed'} with an error.` },
    reader.mayRestart
      ? { ko: '아래 기술 정보를 확인해 원인을 고친 뒤 재시작하세요. 마지막으로 커밋된 청크부터 이어서 합니다.', en: 'See the technical details below. Fix the cause, then restart: it goes on from the last committed chunk.' }
      : {
          ko: `아래 기술 정보를 확인해 원인을 고친 뒤 ${ADMIN.ko}에게 재시작을 부탁하세요. 마지막으로 커밋된 청크부터 이어서 합니다.`,
          en: `See the technical details below. Fix the cause, then ask ${ADMIN.en} to restart it: it goes on from the last committed chunk.`,
        },
  );
}

/**
 * A launch refused because the same job with the same parameters is running, in plain words:
 * which execution, since when (the gym's time) and who started it (a person, the schedule, the
 * command line); the process that runs it (pid, host) stays in the engine's message, for logs.
 */
function alreadyRunning(running: RunningExecution, timeZone: string): Message {
  const at = localTime(running.since.toISOString(), timeZone);
  const by = running.launchedBy?.trim() || null;
  const who: Message =
    by === null
      ? { ko: '', en: '' }
      : /^scheduler@/.test(by)
        ? { ko: '예약 실행으로 ', en: ' by its schedule' }
        : by === 'cli'
          ? { ko: '명령줄에서 ', en: ' from the command line' }
          : { ko: `${by} 님이 `, en: ` by ${by}` };
  const title = running.jobTitle;
  const job: Message = title ? { ko: /작업$/.test(title.ko) ? title.ko : `${title.ko} 작업`, en: `The job “${title.en}”` } : { ko: '이 작업', en: 'This job' };
  return {
    ko: `${job.ko}${subject(job.ko)} 같은 실행 조건으로 이미 실행 중입니다(작업 실행 #${running.id}, ${at.ko}에 ${who.ko}시작). 끝난 뒤 다시 하세요.`,
    en: `${job.en} is already running with the same parameters (execution #${running.id}, started ${at.en}${who.en}). Try again once it has finished.`,
  };
}

/**
 * Korean for an engine refusal whose English names the reason (which execution, which state),
 * with times in the gym's zone; undefined when the code's general sentence must do.
 */
export function describeRefusal(code: string, message: string, timeZone: string, running?: RunningExecution): Message | undefined {
  if (code === 'INVALID_PARAMETER') {
    const window = windowProblem(message, timeZone);
    if (window) return { ko: `${window.ko} 날짜를 바로잡아 다시 실행하세요.`, en: localised(message, timeZone, 'en') };
    const file = importFileProblem(message);
    if (file) return { ko: file, en: message };
    return undefined;
  }
  if (code === 'NOT_RESTARTABLE') {
    const later = /Execution (\d+) is not the latest of its instance: it was restarted as execution (\d+), which (completed|was abandoned|is (\w+))/.exec(message);
    if (later) {
      const [, id, next, outcome, status] = later;
      const rest =
        outcome === 'completed'
          ? `#${next}${subject(`#${next}`)} 완료했으므로 재시작할 것이 없습니다.`
          : outcome === 'was abandoned'
            ? `#${next}${subject(`#${next}`)} 포기되어 다시 실행되지 않습니다.`
            : `#${next}(${status})${object(`#${next}`)} 재시작하세요.`;
      return { ko: `작업 실행 #${id}${topic(`#${id}`)} #${next}${object(`#${next}`)} 재시작했습니다. ${rest}`, en: message };
    }
    const cannot = /^(\w+) cannot be restarted/.exec(message);
    if (cannot) return { ko: `${cannot[1]}${topic(cannot[1]!)} 재시작할 수 없는 작업입니다. 실행 조건을 바꿔 새로 실행하세요.`, en: message };
    if (/another application's|a job not defined here/.test(message)) {
      return { ko: '다른 프로그램(Spring Batch 애플리케이션)의 작업 실행입니다. 그 프로그램에서 재시작하세요.', en: message };
    }
  }
  if (code === 'ALREADY_COMPLETE') {
    const done = /execution (\d+)/.exec(message);
    const abandoned = /abandoned/.test(message);
    if (done) {
      return {
        ko: `같은 실행 조건의 작업 실행 #${done[1]}${subject(`#${done[1]}`)} 이미 ${abandoned ? '포기되었습니다' : '완료되었습니다'}. 실행 조건을 바꿔 다시 실행하세요.`,
        en: message,
      };
    }
  }
  if (code === 'ALREADY_RUNNING') {
    if (running) return alreadyRunning(running, timeZone);
    const id = /execution (\d+)/.exec(message)?.[1];
    if (id) {
      return {
        ko: `같은 실행 조건의 작업 실행 #${id}${subject(`#${id}`)} 아직 실행 중입니다. 끝난 뒤 다시 하세요.`,
        en: `Execution #${id} is still running with the same parameters. Try again once it has finished.`,
      };
    }
  }
  if (code === 'CANNOT_ABANDON' && /still running/.test(message)) {
    return { ko: '아직 실행 중입니다. 먼저 중지하세요.', en: message };
  }
  return undefined;
}
