// The application menu and the tray menu, in Korean or English by the system's language, and
// the few other words the shell shows itself (notifications, dialogs). Built as plain templates
// so tests read them without Electron.
import type { MenuItemConstructorOptions } from 'electron';
import { getJosaPicker } from 'josa';

export type Language = 'ko' | 'en';

/** Korean for a Korean system, English for every other. */
export function languageOf(locale: string | undefined): Language {
  return (locale ?? '').toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/**
 * Why the app could not start, for its error box: in Korean on a Korean system when the error
 * says it in Korean too (`ko`, e.g. an upgrade refused for want of a backup), else its message.
 */
export function startFailure(error: unknown, language: Language): string {
  if (!(error instanceof Error)) return String(error);
  const ko = (error as { ko?: unknown }).ko;
  return language === 'ko' && typeof ko === 'string' ? ko : error.message;
}

const TEXTS = {
  ko: {
    file: '파일',
    edit: '편집',
    view: '보기',
    window: '창',
    help: '도움말',
    open: '패스 콘솔 열기',
    openKiosk: '출석 키오스크 창 열기',
    closeKiosk: '출석 키오스크 창 닫기',
    runningJobs: '실행 중인 작업',
    noRunningJobs: '실행 중인 작업 없음',
    quit: '종료',
    closeWindow: '창 닫기 (트레이에서 계속 실행)',
    undo: '실행 취소',
    redo: '다시 실행',
    cut: '잘라내기',
    copy: '복사',
    paste: '붙여넣기',
    selectAll: '모두 선택',
    reload: '새로 고침',
    devTools: '개발자 도구',
    resetZoom: '실제 크기',
    zoomIn: '확대',
    zoomOut: '축소',
    fullScreen: '전체 화면',
    minimize: '최소화',
    about: '패스 콘솔 정보',
    tooltip: '패스 콘솔 — 예약된 작업이 실행 중입니다',
    jobFailedTitle: (job: string) => `작업 실패: ${job}`,
    jobFailedBody: (id: number, message: string) => `실행 #${id}${getJosaPicker('이')(String(id))} 실패했습니다.${message ? ` ${message}` : ''} 작업 실행 화면에서 재시작할 수 있습니다.`,
    stillRunningTitle: '패스 콘솔이 계속 실행 중입니다',
    stillRunningBody: '예약된 작업이 제때 실행되도록 트레이에 남아 있습니다. 끄려면 트레이 메뉴에서 종료를 누르세요.',
    startFailedTitle: '패스 콘솔을 시작할 수 없습니다',
    restoreBackup: '백업 되살리기…',
    restoreTitle: '백업 되살리기',
    restoreChoose: '되살릴 백업 파일을 고르세요',
    restoreConfirm: (file: string) => `데이터베이스를 이 백업으로 바꿀까요?\n${file}`,
    restoreConfirmDetail: (folder: string) => `패스 콘솔이 실행 중인 작업을 마치고 닫은 뒤 다시 시작합니다. 지금 데이터베이스는 먼저 ${folder} 폴더에 백업으로 한 벌 더 복사해 둡니다.`,
    restoreOk: '되살리기',
    cancel: '취소',
    restoreDone: (kept: string) => `백업을 되살렸습니다. 되살리기 전 데이터베이스는 ${kept}에 있습니다. 패스 콘솔을 다시 시작합니다.`,
    restoreFailed: (why: string) => `백업을 되살리지 못했습니다. 데이터베이스는 그대로입니다. ${why}`,
    restoreMysql: '이 콘솔은 MySQL/MariaDB 데이터베이스를 씁니다. 데이터베이스 서버의 백업 도구로 되살리세요.',
  },
  en: {
    file: 'File',
    edit: 'Edit',
    view: 'View',
    window: 'Window',
    help: 'Help',
    open: 'Open Pass Console',
    openKiosk: 'Open the check-in kiosk window',
    closeKiosk: 'Close the check-in kiosk window',
    runningJobs: 'Running jobs',
    noRunningJobs: 'No job is running',
    quit: 'Quit',
    closeWindow: 'Close window (keeps running in the tray)',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    selectAll: 'Select all',
    reload: 'Reload',
    devTools: 'Developer tools',
    resetZoom: 'Actual size',
    zoomIn: 'Zoom in',
    zoomOut: 'Zoom out',
    fullScreen: 'Full screen',
    minimize: 'Minimize',
    about: 'About Pass Console',
    tooltip: 'Pass Console — scheduled jobs keep running',
    jobFailedTitle: (job: string) => `Job failed: ${job}`,
    jobFailedBody: (id: number, message: string) => `Execution #${id} failed.${message ? ` ${message}` : ''} You can restart it from the executions screen.`,
    stillRunningTitle: 'Pass Console is still running',
    stillRunningBody: 'It stays in the tray so scheduled jobs run on time. Choose Quit in the tray menu to stop it.',
    startFailedTitle: 'Pass Console could not start',
    restoreBackup: 'Restore a backup…',
    restoreTitle: 'Restore a backup',
    restoreChoose: 'Choose the backup to restore',
    restoreConfirm: (file: string) => `Replace the database with this backup?\n${file}`,
    restoreConfirmDetail: (folder: string) => `Pass Console lets running jobs finish, closes and starts again. The database as it is now is first copied into ${folder} as one more backup.`,
    restoreOk: 'Restore',
    cancel: 'Cancel',
    restoreDone: (kept: string) => `The backup is restored. The database as it was before is in ${kept}. Pass Console starts again.`,
    restoreFailed: (why: string) => `The backup was not restored; the database is as it was. ${why}`,
    restoreMysql: 'This console uses a MySQL/MariaDB database: restore it with the database server’s own tools.',
  },
} as const;

export type Texts = (typeof TEXTS)[Language];

export function textsFor(language: Language): Texts {
  return TEXTS[language];
}

export interface RunningJob {
  executionId: number;
  jobName: string;
}

export interface MenuActions {
  open(): void;
  /** the check-in kiosk's window: opened, or focused when it is open already */
  openKiosk(): void;
  closeKiosk(): void;
  quit(): void;
  hideWindow(): void;
  about(): void;
  restoreBackup(): void;
}

/** The tray: open, the check-in kiosk's window (open it; close it while it is open), the running jobs (each opens the console), quit. */
export function trayMenuTemplate(texts: Texts, running: readonly RunningJob[], actions: MenuActions, options: { kioskOpen?: boolean } = {}): MenuItemConstructorOptions[] {
  const jobs: MenuItemConstructorOptions[] = running.length
    ? running.map((job) => ({ label: `${job.jobName} #${job.executionId}`, click: () => actions.open() }))
    : [{ label: texts.noRunningJobs, enabled: false }];
  return [
    { id: 'open', label: texts.open, click: () => actions.open() },
    { id: 'open-kiosk', label: texts.openKiosk, click: () => actions.openKiosk() },
    ...(options.kioskOpen ? [{ id: 'close-kiosk', label: texts.closeKiosk, click: () => actions.closeKiosk() } as MenuItemConstructorOptions] : []),
    { type: 'separator' },
    { id: 'running', label: `${texts.runningJobs} (${running.length})`, submenu: jobs },
    { type: 'separator' },
    { id: 'quit', label: texts.quit, click: () => actions.quit() },
  ];
}

/** The window's menu bar (the app menu on macOS). Developer tools only in a development build. */
export function appMenuTemplate(texts: Texts, actions: MenuActions, options: { devTools: boolean; mac: boolean }): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload', label: texts.reload },
    ...(options.devTools ? [{ role: 'toggleDevTools', label: texts.devTools } as MenuItemConstructorOptions] : []),
    { type: 'separator' },
    { role: 'resetZoom', label: texts.resetZoom },
    { role: 'zoomIn', label: texts.zoomIn },
    { role: 'zoomOut', label: texts.zoomOut },
    { type: 'separator' },
    { role: 'togglefullscreen', label: texts.fullScreen },
  ];
  return [
    ...(options.mac ? [{ label: 'Pass Console', submenu: [{ label: texts.about, click: () => actions.about() }, { type: 'separator' }, { label: texts.quit, accelerator: 'Cmd+Q', click: () => actions.quit() }] } as MenuItemConstructorOptions] : []),
    {
      label: texts.file,
      submenu: [
        { id: 'open-kiosk', label: texts.openKiosk, click: () => actions.openKiosk() },
        { type: 'separator' },
        { id: 'restore-backup', label: texts.restoreBackup, click: () => actions.restoreBackup() },
        { type: 'separator' },
        { label: texts.closeWindow, accelerator: 'CmdOrCtrl+W', click: () => actions.hideWindow() },
        ...(options.mac ? [] : [{ type: 'separator' } as MenuItemConstructorOptions, { label: texts.quit, accelerator: 'Ctrl+Q', click: () => actions.quit() }]),
      ],
    },
    {
      label: texts.edit,
      submenu: [
        { role: 'undo', label: texts.undo },
        { role: 'redo', label: texts.redo },
        { type: 'separator' },
        { role: 'cut', label: texts.cut },
        { role: 'copy', label: texts.copy },
        { role: 'paste', label: texts.paste },
        { role: 'selectAll', label: texts.selectAll },
      ],
    },
    { label: texts.view, submenu: view },
    { label: texts.window, submenu: [{ role: 'minimize', label: texts.minimize }, { label: texts.open, click: () => actions.open() }] },
    { label: texts.help, submenu: [{ label: texts.about, click: () => actions.about() }] },
  ];
}
