// The contract's operations: each one's name, the least role that may call it, the schema its
// input must pass before anything is touched, and what it answers. The service implements the
// table (main/service/service.ts), the transports carry it (HTTP routes, IPC, CLI), and OpenAPI
// is generated from it.
import { z } from 'zod';
import type { Message } from '../errors.ts';
import { IMPORT_UPLOAD_BASE64, SCHEMA_MESSAGES, says, batchStatus, cursor, databaseUrl, dateTime, folderPath, importFileName, jobName, kioskHandle, memberName, memo, newUserId, none, packageCount, packageName, packagePeriod, packagePrice, notifierConfig, refundAmount, cancelReason, extendDays, extendUses, extendReason, page, pageSize, parameterValue, password, phoneLast4, phoneNumber, role, seq, timeZoneName, userGroupId, userId, username, visibleId, type Role, paymentMethod } from './inputs.ts';
import type { AuditEntry, BackupsView, BookingOutcome, BulkGrantView, CancelOutcome, ClassCancelled, ClassDetail, ClassUpdated, ClassView, ConnectionTest, ExecutionDetail, ExecutionSummary, FirstStepsView, GroupView, ImportPreview, ImportRejects, ImportStatus, ImportUpload, JobView, KioskCheckIn, KioskMatch, KioskMember, Me, MemberPage, MemberPasses, MemberSaved, NotificationPage, NotificationResend, PackageView, Paged, PassCancelled, PassExtended, PassView, ReportFile, ReportView, SalesSummary, ScheduleEntry, SessionInfo, SettingsView, SetupStatus, StaffView, StatisticsSeries } from './views.ts';

// ---- the operations --------------------------------------------------------------------------

type Least = Role | 'PUBLIC' | 'SIGNED_IN';

interface OperationSpec<I extends z.ZodType, O> {
  /** the least role that may call it (KIOSK: that role alone); PUBLIC: no session needed; SIGNED_IN: any account */
  role: Least;
  input: I;
  /** writes something: the call is recorded in the activity log */
  audited: boolean;
  summary: Message;
  /** what it answers: a type only, never set (see OutputOf) */
  readonly output?: O;
}

/**
 * An operation answering O: `op<ClassDetail>()('FRONT_DESK', input, summary, audited)`, so each
 * answer is declared next to the input it answers.
 */
const op =
  <O>() =>
  <I extends z.ZodType>(role: Least, input: I, summary: Message, audited = false): OperationSpec<I, O> => ({ role, input, audited, summary });

const classTitle = z.string().trim().min(1).max(100).refine(visibleId, says(SCHEMA_MESSAGES.invisibleShort));
const instructorName = z.string().trim().max(50).refine(visibleId, says(SCHEMA_MESSAGES.invisibleShort));
const classCapacity = z.int().min(1).max(1000);
const classPackages = z.array(seq).min(1).max(50);

export const operations = {
  'session.login': op<SessionInfo>()('PUBLIC', z.strictObject({ username: z.string().min(1).max(50), password: z.string().min(1).max(200) }), { ko: '로그인', en: 'Sign in' }),
  'session.logout': op<{ ok: true }>()('SIGNED_IN', none, { ko: '로그아웃', en: 'Sign out' }),
  'session.me': op<Me>()('SIGNED_IN', none, { ko: '로그인한 직원', en: 'The signed-in staff member' }),
  'session.changePassword': op<{ ok: true }>()(
    'SIGNED_IN',
    z.strictObject({ current: z.string().min(1).max(200), next: password }),
    { ko: '내 비밀번호 변경', en: 'Change my password' },
    true,
  ),

  // First run on the desktop: no account exists yet, and the person at the desk chooses the
  // admin's password. Once any account exists createAdmin is refused (CONFLICT), so it can
  // never take over a console that already has staff (as `serve` always has).
  'setup.status': op<SetupStatus>()('PUBLIC', none, { ko: '첫 실행 설정: 관리자 계정이 필요한지', en: 'First-run setup: whether an admin account is needed' }),
  // `gym`: how the gym starts. 'empty' (the default: an omitted choice never adds sample members)
  // for real use; 'demo' adds the demo gym first, on a worker thread (main/service/setup.ts).
  'setup.createAdmin': op<SessionInfo>()(
    'PUBLIC',
    z.strictObject({ password, gym: z.enum(['empty', 'demo']).optional() }),
    { ko: '첫 실행: 관리자 계정(admin) 만들고 로그인 (빈 체육관 또는 데모 체육관으로 시작)', en: 'First run: create the admin account and sign in (starting an empty gym or the demo gym)' },
    true,
  ),

  // 처음 시작하기: what a gym that started empty still has to set up (main/service/firstSteps.ts).
  'setup.firstSteps': op<FirstStepsView>()('MANAGER', none, { ko: '처음 시작하기: 체육관 준비가 어디까지 되었는지', en: 'First steps: how far the gym is set up' }),

  'members.search': op<MemberPage>()(
    'FRONT_DESK',
    z.strictObject({ query: z.string().trim().min(1).max(100), limit: z.int().min(1).max(100).optional(), after: cursor.optional() }),
    { ko: '회원 검색 (이름, 전화번호, 전화번호 뒷자리 4개, 회원 ID; 전체 건수와 다음 쪽)', en: "Find members by name, phone, the phone's last four digits or member id (with the total and the next page)" },
  ),
  'members.passes': op<MemberPasses>()('FRONT_DESK', z.strictObject({ userId }), { ko: '회원의 그룹, 이용권과 수업 예약', en: "A member's groups, passes and class bookings" }),
  // Members at the desk (issue 18, slice 1). A phone already someone else's is a warning, not a refusal.
  'members.create': op<MemberSaved>()(
    'FRONT_DESK',
    z.strictObject({
      /** omitted: the next id in the seed's style (M1000001, M1000002, ...) */
      userId: newUserId.optional(),
      userName: memberName,
      phone: phoneNumber.optional(),
      memo: memo.optional(),
      /** groups to put the new member in */
      groups: z.array(userGroupId).max(20).optional(),
    }),
    { ko: '회원 등록 (이름, 전화번호, 메모, 그룹)', en: 'Create a member (name, phone, memo, groups)' },
    true,
  ),
  'members.update': op<MemberSaved>()(
    'FRONT_DESK',
    z
      .strictObject({ userId, userName: memberName.optional(), phone: phoneNumber.nullable().optional(), memo: memo.nullable().optional() })
      .refine((input) => input.userName !== undefined || input.phone !== undefined || input.memo !== undefined, says(SCHEMA_MESSAGES.memberChange)),
    { ko: '회원 정보 수정 (이름, 전화번호, 메모; null은 지움)', en: "Edit a member's name, phone or memo (null clears it)" },
    true,
  ),
  'members.deactivate': op<MemberSaved>()('FRONT_DESK', z.strictObject({ userId }), { ko: '회원 휴면 처리 (일괄 지급에서 빠짐)', en: 'Deactivate a member (left out of bulk grants)' }, true),
  'members.reactivate': op<MemberSaved>()('FRONT_DESK', z.strictObject({ userId }), { ko: '휴면 회원 다시 활동', en: 'Reactivate a member' }, true),
  'members.addToGroup': op<MemberSaved>()('FRONT_DESK', z.strictObject({ userId, userGroupId }), { ko: '회원을 그룹에 넣기', en: 'Add a member to a group' }, true),
  'members.removeFromGroup': op<MemberSaved>()('FRONT_DESK', z.strictObject({ userId, userGroupId }), { ko: '회원을 그룹에서 빼기', en: 'Remove a member from a group' }, true),
  // A group is its members (user_group_mapping): a new one starts with the member put in it, its id its name, as an import makes one.
  'members.addToNewGroup': op<MemberSaved>()(
    'FRONT_DESK',
    z.strictObject({ userId, userGroupName: userGroupId }),
    { ko: '새 그룹을 만들어 회원 넣기', en: 'Put a member in a new group' },
    true,
  ),
  'passes.register': op<{ passes: PassView[] }>()(
    'FRONT_DESK',
    // paymentMethod: how it was paid, asked of a sale for more than 0원 and refused for one of a
    // package with no price or at 0원 (nothing to pay); the bonus pass never has one
    z.strictObject({ userId, packageSeq: seq, startedAt: dateTime, bonusPackageSeq: seq.optional(), paymentMethod: paymentMethod.optional() }),
    { ko: '이용권 등록 (결제 수단, 보너스 이용권 포함)', en: 'Register a pass, with how it was paid and an optional bonus pass' },
    true,
  ),
  // 이용권 취소: a pass sold or given by mistake, or handed back for a refund
  'passes.cancel': op<PassCancelled>()(
    'FRONT_DESK',
    z.strictObject({ passSeq: seq, refund: refundAmount.optional(), reason: cancelReason.optional() }),
    { ko: '이용권 취소 (환불 금액과 함께)', en: 'Cancel a pass, with what is refunded' },
    true,
  ),
  // 이용권 연장: days or uses given to a pass (a closed day made up, a member's holiday), with why
  'passes.extend': op<PassExtended>()(
    'FRONT_DESK',
    z
      .strictObject({ passSeq: seq, days: extendDays.optional(), uses: extendUses.optional(), reason: extendReason })
      .refine((input) => input.days !== undefined || input.uses !== undefined, { ...says(SCHEMA_MESSAGES.passExtension), path: ['days'] }),
    { ko: '이용권 연장 (기간이나 횟수 늘리기)', en: 'Extend a pass: more days or more uses' },
    true,
  ),
  'packages.list': op<PackageView[]>()('FRONT_DESK', none, { ko: '패키지 목록 (판매 중지한 것도)', en: 'Packages, those taken off sale too' }),
  // What the gym sells, kept by its managers: a new package, its name, uses and days changed (the
  // passes already sold keep theirs), and taken off sale or back on it. Never deleted: its passes
  // and classes keep pointing at it.
  'packages.create': op<PackageView>()(
    'MANAGER',
    z.strictObject({ packageName, count: packageCount, period: packagePeriod, price: packagePrice.optional() }),
    { ko: '패키지 만들기', en: 'Create a package' },
    true,
  ),
  'packages.update': op<PackageView>()(
    'MANAGER',
    z
      .strictObject({ packageSeq: seq, packageName: packageName.optional(), count: packageCount.optional(), period: packagePeriod.optional(), price: packagePrice.optional() })
      .refine((input) => [input.packageName, input.count, input.period, input.price].some((value) => value !== undefined), says(SCHEMA_MESSAGES.packageChange)),
    { ko: '패키지 고치기 (이미 판 이용권은 그대로)', en: 'Edit a package (passes already sold keep theirs)' },
    true,
  ),
  'packages.retire': op<PackageView>()('MANAGER', z.strictObject({ packageSeq: seq }), { ko: '패키지 판매 중지', en: 'Take a package off sale' }, true),
  'packages.restore': op<PackageView>()('MANAGER', z.strictObject({ packageSeq: seq }), { ko: '패키지 다시 판매', en: 'Put a package back on sale' }, true),

  // Classes and bookings (issue 18, slice 3).
  'classes.list': op<ClassView[]>()(
    'FRONT_DESK',
    z.strictObject({ from: dateTime, to: dateTime }),
    { ko: '기간의 수업 (주간 달력)', en: 'The classes of a period (the weekly calendar)' },
  ),
  'classes.get': op<ClassDetail>()('FRONT_DESK', z.strictObject({ classSeq: seq }), { ko: '수업과 예약, 대기 명단', en: 'A class with its bookings and waitlist' }),
  'classes.create': op<ClassView[]>()(
    'FRONT_DESK',
    z.strictObject({
      title: classTitle,
      /** a staff member's name or free text */
      instructor: instructorName.optional(),
      startedAt: dateTime,
      endedAt: dateTime,
      capacity: classCapacity,
      packageSeqs: classPackages,
      /** 1: this class only; N: the same weekday and time for N weeks */
      repeatWeeks: z.int().min(1).max(52).optional(),
    }),
    { ko: '수업 만들기 (매주 N주 반복)', en: 'Schedule a class (repeated weekly for N weeks)' },
    true,
  ),
  // One class (not the rest of its series), before it starts; the time only while nobody's pass would stop paying for it
  // and nobody has checked in, and a new time is told to every member booked or waiting (outbox).
  'classes.update': op<ClassUpdated>()(
    'FRONT_DESK',
    z
      .strictObject({
        classSeq: seq,
        title: classTitle.optional(),
        /** null or '': no instructor */
        instructor: instructorName.nullable().optional(),
        startedAt: dateTime.optional(),
        endedAt: dateTime.optional(),
        /** not below the places already booked */
        capacity: classCapacity.optional(),
        packageSeqs: classPackages.optional(),
      })
      .refine(
        (input) => [input.title, input.instructor, input.startedAt, input.endedAt, input.capacity, input.packageSeqs].some((value) => value !== undefined),
        says(SCHEMA_MESSAGES.classChange),
      ),
    { ko: '수업 변경 (이름, 강사, 시각, 정원, 패키지; 시작 전에만, 바뀐 시각은 회원에게 알림)', en: 'Edit a class (title, instructor, times, capacity, packages; before it starts; members are told a new time)' },
    true,
  ),
  // Before it starts and before anyone checked in: every live booking cancelled without taking a use, the waitlist emptied, each member told (outbox).
  'classes.cancel': op<ClassCancelled>()(
    'FRONT_DESK',
    z.strictObject({ classSeq: seq }),
    { ko: '수업 취소 (예약 모두 무료 취소, 대기 명단 비움, 회원에게 알림)', en: 'Cancel a class (every booking cancelled free, the waitlist emptied, members told)' },
    true,
  ),
  'bookings.create': op<BookingOutcome>()(
    'FRONT_DESK',
    z.strictObject({ classSeq: seq, userId, passSeq: seq }),
    { ko: '수업 예약 (정원이 차면 대기; 시간이 겹치는 예약이 있으면 거절)', en: 'Book a member into a class with a pass (the waitlist when it is full; refused while they are booked into an overlapping class)' },
    true,
  ),
  // Before the class starts; no one moves in (no place opens) and the member is not notified.
  'waitlist.remove': op<ClassDetail>()(
    'FRONT_DESK',
    z.strictObject({ classSeq: seq, waitlistSeq: seq }),
    { ko: '대기 명단에서 회원 한 명 빼기', en: 'Take one member off a class waitlist' },
    true,
  ),
  'bookings.cancel': op<CancelOutcome>()(
    'FRONT_DESK',
    z.strictObject({ bookingSeq: seq }),
    { ko: '수업 예약 취소 (대기 첫 회원이 예약됨)', en: 'Cancel a booking (the first waiting member moves in)' },
    true,
  ),
  // Attendance at the desk (issue 18, slice 4): from an hour before the class until its use is deducted.
  'bookings.markAttended': op<ClassDetail>()(
    'FRONT_DESK',
    z.strictObject({ bookingSeq: seq, attended: z.boolean() }),
    { ko: '출석 표시 (또는 취소)', en: 'Mark a booking attended (or not)' },
    true,
  ),
  'classes.markAllAttended': op<ClassDetail>()('FRONT_DESK', z.strictObject({ classSeq: seq }), { ko: '수업 전원 출석', en: 'Mark the whole class attended' }, true),

  // The check-in kiosk (KIOSK accounts only): a member finds themself by the last four digits of
  // their phone, picks their masked name and checks in to today's class. A member is named by an
  // opaque handle, never by id, and nothing of another member can be reached.
  'kiosk.find': op<KioskMatch[]>()('KIOSK', z.strictObject({ phoneLast4 }), { ko: '키오스크: 전화번호 뒷자리로 회원 찾기 (가린 이름)', en: "Kiosk: find members by their phone's last four digits (masked names)" }),
  'kiosk.member': op<KioskMember>()('KIOSK', z.strictObject({ phoneLast4, member: kioskHandle }), { ko: '키오스크: 회원의 이용권과 오늘 예약', en: "Kiosk: a member's passes and today's bookings" }),
  'kiosk.checkIn': op<KioskCheckIn>()(
    'KIOSK',
    z.strictObject({ phoneLast4, member: kioskHandle, bookingSeq: seq }),
    { ko: '키오스크: 오늘 수업 출석 체크', en: "Kiosk: check in to today's class" },
    true,
  ),
  'groups.list': op<GroupView[]>()('FRONT_DESK', none, { ko: '회원 그룹 목록', en: 'Member groups' }),

  'bulkGrants.list': op<BulkGrantView[]>()(
    'FRONT_DESK',
    z.strictObject({ status: z.enum(['READY', 'COMPLETED', 'CANCELLED']).optional() }),
    { ko: '이용권 일괄 지급 목록', en: 'Bulk grants' },
  ),
  'bulkGrants.create': op<BulkGrantView>()(
    'FRONT_DESK',
    z.strictObject({
      packageSeq: seq,
      userGroupId,
      count: z.int().min(1).max(10_000).optional(),
      startedAt: dateTime,
      endedAt: dateTime.optional(),
    }),
    { ko: '이용권 일괄 지급 등록', en: 'Register a bulk grant' },
    true,
  ),
  'bulkGrants.cancel': op<BulkGrantView>()('FRONT_DESK', z.strictObject({ bulkPassSeq: seq }), { ko: '지급 예정인 일괄 지급 취소', en: 'Cancel a scheduled bulk grant' }, true),
  'bulkGrants.grantNow': op<{ bulkGrant: BulkGrantView; execution: ExecutionSummary }>()('FRONT_DESK', z.strictObject({ bulkPassSeq: seq }), { ko: '지금 지급 (이용권 일괄 지급 작업 실행)', en: 'Grant now (runs addPassesJob for it)' }, true),

  // 회원 가져오기: the old program's member file, uploaded, previewed, checked (dry run), then imported.
  'imports.upload': op<ImportUpload>()(
    'FRONT_DESK',
    z.strictObject({ fileName: z.string().trim().min(1).max(200), contentBase64: z.string().min(1).max(IMPORT_UPLOAD_BASE64).regex(/^[A-Za-z0-9+/]*={0,2}$/, says(SCHEMA_MESSAGES.base64)) }),
    { ko: '회원 파일 올리기 (.csv, .xlsx, 20MB까지)', en: 'Upload a member file (.csv or .xlsx, up to 20 MB)' },
    true,
  ),
  'imports.preview': op<ImportPreview>()('FRONT_DESK', z.strictObject({ fileName: importFileName }), { ko: '회원 파일 미리 보기 (첫 행과 열 연결)', en: 'Preview a member file (its first rows and column mapping)' }),
  'imports.start': op<ExecutionSummary>()(
    'FRONT_DESK',
    z.strictObject({ fileName: importFileName, dryRun: z.boolean(), language: z.enum(['ko', 'en']).optional() }),
    { ko: '회원 가져오기 실행 (미리 확인 또는 실제 가져오기)', en: 'Run the member import (a dry run or the real one)' },
    true,
  ),
  'imports.status': op<ImportStatus>()('FRONT_DESK', z.strictObject({ id: seq }), { ko: '회원 가져오기 진행과 결과', en: "A member import's progress and outcome" }),
  'imports.rejects': op<ImportRejects>()('FRONT_DESK', z.strictObject({ id: seq }), { ko: '회원 가져오기의 거부 파일', en: "A member import's rejects file" }),

  'statistics.series': op<StatisticsSeries>()(
    'MANAGER',
    z.strictObject({ from: dateTime, to: dateTime, unit: z.enum(['hour', 'day', 'week']) }),
    { ko: '통계 (시간별, 일별, 주별)', en: 'Statistics by hour, day or week' },
  ),
  'statistics.build': op<ExecutionSummary>()(
    'MANAGER',
    z.strictObject({ from: dateTime, to: dateTime }),
    { ko: '통계 만들기 (통계 데이터 생성 작업을 기간의 끝난 시간에 실행)', en: 'Build statistics (runs makeStatisticsJob over the ended hours of the range)' },
    true,
  ),

  // 판매: what the passes sold at the desk were sold for, by day of the gym and by package
  'sales.summary': op<SalesSummary>()(
    'MANAGER',
    z.strictObject({ from: dateTime, to: dateTime }),
    { ko: '판매 (기간의 판매 금액, 일별, 패키지별, 결제 수단별)', en: 'Sales: what the passes sold over a range took in, by day, by package and by payment method' },
  ),

  'jobs.list': op<JobView[]>()('MANAGER', none, { ko: '배치 작업과 실행 조건', en: 'Batch jobs and their parameters' }),
  /** every job name in the history, those of another application on the same database too */
  'jobs.namesInHistory': op<string[]>()('MANAGER', none, { ko: '실행 기록에 있는 배치 작업 이름', en: 'Job names in the execution history' }),
  'executions.list': op<Paged<ExecutionSummary>>()(
    'MANAGER',
    z.strictObject({
      job: jobName.optional(),
      status: batchStatus.optional(),
      /** created at or after (inclusive) */
      from: dateTime.optional(),
      /** created before (exclusive) */
      to: dateTime.optional(),
      page: page.optional(),
      pageSize: pageSize.optional(),
      /** leave out completed runs whose steps all read 0 and wrote 0 */
      hideEmpty: z.boolean().optional(),
    }),
    { ko: '작업 실행 목록 (작업, 상태, 기간으로 거르기)', en: 'Executions, filtered by job, status and time range' },
  ),
  'executions.get': op<ExecutionDetail>()('MANAGER', z.strictObject({ id: seq }), { ko: '작업 실행 상세', en: 'An execution with its steps' }),
  'executions.launch': op<ExecutionSummary>()(
    'ADMIN',
    z.strictObject({ job: jobName, params: z.record(z.string().max(100), parameterValue).default({}) }),
    { ko: '배치 작업 실행', en: 'Run a job' },
    true,
  ),
  'executions.restart': op<ExecutionSummary>()('ADMIN', z.strictObject({ id: seq }), { ko: '재시작', en: 'Restart' }, true),
  'executions.stop': op<ExecutionSummary>()('ADMIN', z.strictObject({ id: seq }), { ko: '중지', en: 'Stop' }, true),
  'executions.abandon': op<ExecutionSummary>()('ADMIN', z.strictObject({ id: seq }), { ko: '포기', en: 'Abandon' }, true),
  'executions.markFailed': op<ExecutionSummary>()('ADMIN', z.strictObject({ id: seq }), { ko: '실패로 표시', en: 'Mark as failed' }, true),

  'reports.list': op<ReportView[]>()('MANAGER', z.strictObject({ kind: z.enum(['DAILY', 'WEEKLY']).optional() }), { ko: '보고서 목록', en: 'Reports' }),
  'reports.file': op<ReportFile>()('MANAGER', z.strictObject({ id: seq }), { ko: '보고서 파일', en: 'A report file' }),

  'schedules.list': op<ScheduleEntry[]>()('ADMIN', none, { ko: '예약 실행 목록', en: 'Schedules' }),
  'schedules.update': op<ScheduleEntry>()(
    'ADMIN',
    z.strictObject({
      job: jobName,
      cron: z.string().min(1).max(100).optional(),
      enabled: z.boolean().optional(),
      misfirePolicy: z.enum(['RUN_ONCE', 'SKIP']).optional(),
      timeZone: z.string().min(1).max(64).optional(),
      params: z.record(z.string().max(100), parameterValue).optional(),
    }),
    { ko: '예약 실행 변경', en: 'Change a schedule' },
    true,
  ),

  'settings.get': op<SettingsView>()('ADMIN', none, { ko: '설정', en: 'Settings' }),
  'settings.update': op<SettingsView>()(
    'ADMIN',
    z
      .strictObject({
        timeZone: timeZoneName.optional(),
        language: z.enum(['ko', 'en']).optional(),
        notifier: notifierConfig.optional(),
        /** the whole list of folders allowed besides the data folder (the screen adds or removes one) */
        allowedFolders: z.array(folderPath).max(20).optional(),
        /** until how many minutes before a class a cancellation is free, and whether a later one takes a use */
        bookingPolicy: z.strictObject({ cancelCutoffMinutes: z.int().min(0).max(10_080), lateCancelCountsAsUse: z.boolean(), deductNoShows: z.boolean().optional() }).optional(),
      })
      .refine((input) => Object.values(input).some((value) => value !== undefined), says(SCHEMA_MESSAGES.settingsChange)),
    { ko: '설정 변경 (시간대, 언어, 알림, 허용 폴더, 예약 취소 규칙)', en: 'Change settings (time zone, language, notifier, allowed folders, the booking cancellation policy)' },
    true,
  ),
  'settings.testDatabase': op<ConnectionTest>()('ADMIN', z.strictObject({ url: databaseUrl }), { ko: '데이터베이스 연결 시험', en: 'Test a database connection' }, true),
  'settings.testNotifier': op<ConnectionTest>()('ADMIN', none, { ko: '알림 시험 발송', en: 'Send a test notification' }, true),
  'backups.list': op<BackupsView>()('ADMIN', none, { ko: '데이터베이스 백업 목록', en: 'Database backups' }),
  'backups.run': op<ExecutionSummary>()('ADMIN', none, { ko: '지금 백업 (데이터베이스 백업 작업 실행)', en: 'Back up now (runs backupDatabaseJob)' }, true),

  // MANAGER for both: managers answer members who say a message never came. A resend carries the
  // row's own idempotency key and text, so it can neither make a new message nor send one twice
  // to a receiver that drops repeats; the notifier's address stays the admin's (settings).
  'notifications.list': op<NotificationPage>()(
    'MANAGER',
    z.strictObject({
      userId: userId.optional(),
      status: z.enum(['SENT', 'PENDING', 'FAILED']).optional(),
      /** created at or after (inclusive) */
      from: dateTime.optional(),
      /** created before (exclusive) */
      to: dateTime.optional(),
      after: cursor.optional(),
      pageSize: pageSize.optional(),
    }),
    { ko: '알림 발송 목록 (회원, 기간, 상태로 거르기)', en: 'The notification outbox, filtered by member, dates and status' },
  ),
  'notifications.resend': op<NotificationResend>()('MANAGER', z.strictObject({ notificationSeq: seq }), { ko: '실패한 알림 다시 보내기', en: 'Resend a failed notification' }, true),

  'audit.list': op<Paged<AuditEntry>>()(
    'ADMIN',
    z.strictObject({ actor: z.string().max(50).optional(), action: z.string().max(50).optional(), page: page.optional(), pageSize: pageSize.optional() }),
    { ko: '작업 기록', en: 'Activity log' },
  ),

  'staff.list': op<StaffView[]>()('ADMIN', none, { ko: '직원 계정 목록', en: 'Staff accounts' }),
  'staff.create': op<StaffView>()('ADMIN', z.strictObject({ username, password, role }), { ko: '직원 계정 만들기', en: 'Create a staff account' }, true),
  'staff.setPassword': op<StaffView>()('ADMIN', z.strictObject({ username, password }), { ko: '비밀번호 변경', en: 'Set a password' }, true),
  'staff.setRole': op<StaffView>()('ADMIN', z.strictObject({ username, role }), { ko: '권한 변경', en: 'Change a role' }, true),
  'staff.disable': op<StaffView>()('ADMIN', z.strictObject({ username }), { ko: '직원 계정 사용 중지', en: 'Disable a staff account' }, true),
  'staff.enable': op<StaffView>()('ADMIN', z.strictObject({ username }), { ko: '직원 계정 다시 사용', en: 'Enable a staff account' }, true),
  'staff.unlock': op<StaffView>()('ADMIN', z.strictObject({ username }), { ko: '로그인 잠금 해제', en: 'Unlock sign-in for a staff account' }, true),
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export type InputOf<N extends OperationName> = z.input<Operations[N]['input']>;
/** The input after its schema: defaults applied, strings trimmed. */
export type ParsedInputOf<N extends OperationName> = z.output<Operations[N]['input']>;
/** What the operation answers. */
export type OutputOf<N extends OperationName> = Operations[N] extends OperationSpec<z.ZodType, infer O> ? O : never;



export const OPERATION_NAMES = Object.keys(operations) as OperationName[];

export function isOperationName(name: unknown): name is OperationName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(operations, name);
}
