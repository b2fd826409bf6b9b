// Issue 18, slice 4: the check-in kiosk over real HTTP on both databases, with the kiosk's own
// token, as a member (or anyone at the kiosk's screen) could use it. It reaches one member at a
// time, by the last four digits of their phone and the handle the kiosk was given for them:
// another member's booking, a handle under other digits and guessed handles are all "not found";
// every staff route and staff operation answers 403; the event stream carries no job; and no
// answer holds a member's id or phone number, only masked names.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHttpServer, type HttpServer } from '../../main/http/server.ts';
import { ROUTES } from '../../main/http/routes.ts';
import { OPERATION_NAMES, operations } from '../../main/service/contract.ts';
import { classStartToday, longestWaitForToday } from '../support/classToday.ts';
import { describeEachBackend } from '../support/databases.ts';
import { apiClient, fullSnapshot, httpToken, serviceHarness, type ApiAnswer, type ServiceHarness } from '../support/serviceHarness.ts';

const HOUR = 3_600_000;

interface Member {
  userId: string;
  userName: string;
  /** as typed at the desk */
  phone: string;
  last4: string;
  passSeq: number;
  bookingSeq: number;
}

/** Every key anywhere in a JSON value. */
function keysOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysOf);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]);
  return [];
}

describeEachBackend('the check-in kiosk over HTTP', (backend) => {
  let h: ServiceHarness;
  let server: HttpServer;
  let kiosk: string;
  let classSeq: number;
  /** two members whose phones end in the same four digits, and one under other digits */
  let kim: Member;
  let kang: Member;
  let park: Member;
  const api = apiClient(() => server.url);
  /** every answer the kiosk got, to search for what it must never hold */
  const answers: ApiAnswer[] = [];
  const asKiosk = async (method: string, path: string, body?: unknown, token = kiosk) => {
    const answer = await api(method, path, { token, body });
    answers.push(answer);
    return answer;
  };

  beforeAll(async () => {
    h = await serviceHarness(backend);
    server = await startHttpServer({ service: h.service });
    kiosk = await httpToken(api, 'KIOSK');
    const desk = h.sessions.FRONT_DESK;
    const start = await classStartToday();
    const [cls] = await h.service.call(desk, 'classes.create', {
      title: '키오스크 요가',
      startedAt: start.toISOString(),
      endedAt: new Date(start.getTime() + HOUR).toISOString(),
      capacity: 10,
      packageSeqs: [1],
    });
    classSeq = cls!.classSeq;
    // four digits no demo member's phone ends in, and another four
    const unused: string[] = [];
    for (let d = 8101; unused.length < 2; d++) {
      if ((await h.service.call(h.sessions.KIOSK, 'kiosk.find', { phoneLast4: String(d) })).length === 0) unused.push(String(d));
    }
    const member = async (userName: string, middle: string, last4: string): Promise<Member> => {
      const phone = `010-${middle}-${last4}`;
      const userId = (await h.service.call(desk, 'members.create', { userName, phone })).detail.member.userId;
      const { passes } = await h.service.call(desk, 'passes.register', { userId, packageSeq: 1, startedAt: new Date(Date.now() - 86_400_000).toISOString(), paymentMethod: 'CARD' });
      const passSeq = passes[0]!.passSeq;
      const bookingSeq = (await h.service.call(desk, 'bookings.create', { classSeq, userId, passSeq })).bookingSeq!;
      return { userId, userName, phone, last4, passSeq, bookingSeq };
    };
    kim = await member('김민수', '4821', unused[0]!);
    kang = await member('강하늘', '6935', unused[0]!);
    park = await member('박지훈', '3719', unused[1]!);
  }, 120_000 + longestWaitForToday());
  afterAll(async () => {
    await server?.close();
    await h?.dispose();
  });

  const find = async (last4: string) => {
    const r = await asKiosk('POST', '/api/kiosk/find', { phoneLast4: last4 });
    expect(r.status, r.text).toBe(200);
    return r.json as Array<{ member: string; maskedName: string }>;
  };
  const handleOf = async (m: Member) => (await find(m.last4)).find((f) => f.maskedName === `${m.userName[0]}*${m.userName.at(-1)}`)!.member;

  it('the kiosk finds the members under four digits by masked name only, shows the picked one their own pass and booking, and checks them in', async () => {
    const found = await find(kim.last4);
    expect(found.map((f) => f.maskedName).sort()).toEqual(['강*늘', '김*수']);
    for (const f of found) expect(Object.keys(f).sort()).toEqual(['maskedName', 'member']);
    const handle = await handleOf(kim);

    const shown = await asKiosk('POST', '/api/kiosk/member', { phoneLast4: kim.last4, member: handle });
    expect(shown.status, shown.text).toBe(200);
    expect(shown.json.maskedName).toBe('김*수');
    expect(shown.json.passes).toEqual([expect.objectContaining({ remainingCount: 10 })]);
    // kim's booking alone, though kang (same digits) and park are booked into the same class
    expect(shown.json.bookings).toEqual([expect.objectContaining({ bookingSeq: kim.bookingSeq, classTitle: '키오스크 요가', attended: false, canCheckIn: true })]);

    const checked = await asKiosk('POST', '/api/kiosk/check-in', { phoneLast4: kim.last4, member: handle, bookingSeq: kim.bookingSeq });
    expect(checked.status, checked.text).toBe(200);
    expect(checked.json).toMatchObject({ bookingSeq: kim.bookingSeq, classTitle: '키오스크 요가' });
    expect(checked.json.member.bookings).toEqual([expect.objectContaining({ bookingSeq: kim.bookingSeq, attended: true, canCheckIn: false })]);
    const attended = await h.database.db.kysely.selectFrom('booking').select(['booking_seq', 'attended']).where('class_seq', '=', classSeq).orderBy('booking_seq').execute();
    expect(attended.map((b) => [Number(b.booking_seq), Number(b.attended)])).toEqual([
      [kim.bookingSeq, 1],
      [kang.bookingSeq, 0],
      [park.bookingSeq, 0],
    ]);
  });

  it("another member's booking, a handle under other digits and guessed handles are refused as not found, alike, and change nothing", async () => {
    const kimHandle = await handleOf(kim);
    const parkHandle = await handleOf(park);
    const before = await fullSnapshot(h);
    const notFound = async (path: string, body: unknown) => {
      const r = await asKiosk('POST', path, body);
      expect([r.status, r.json?.code], `${path} ${JSON.stringify(body)}: ${r.text}`).toEqual([404, 'NOT_FOUND']);
      return r.json.message as { ko: string; en: string };
    };

    // another member's booking, under one's own digits and handle: the same words as a booking that does not exist
    const theirs = await notFound('/api/kiosk/check-in', { phoneLast4: kim.last4, member: kimHandle, bookingSeq: kang.bookingSeq });
    const none = await notFound('/api/kiosk/check-in', { phoneLast4: kim.last4, member: kimHandle, bookingSeq: 987654321 });
    expect(theirs.en.replace(String(kang.bookingSeq), 'N')).toBe(none.en.replace('987654321', 'N'));
    expect(theirs.ko.replace(String(kang.bookingSeq), 'N')).toBe(none.ko.replace('987654321', 'N'));
    await notFound('/api/kiosk/check-in', { phoneLast4: kim.last4, member: kimHandle, bookingSeq: park.bookingSeq });

    // a handle the kiosk gave, under digits that are not its member's
    await notFound('/api/kiosk/member', { phoneLast4: park.last4, member: kimHandle });
    await notFound('/api/kiosk/member', { phoneLast4: kim.last4, member: parkHandle });
    await notFound('/api/kiosk/check-in', { phoneLast4: kim.last4, member: parkHandle, bookingSeq: park.bookingSeq });
    await notFound('/api/kiosk/check-in', { phoneLast4: park.last4, member: kimHandle, bookingSeq: park.bookingSeq });

    // guessed handles: random ones, and ones made from the member's id and phone as a careless implementation would
    const guesses = [
      ...Array.from({ length: 40 }, () => randomBytes(12).toString('hex')),
      ...[kim.userId, kim.phone, kim.phone.replace(/-/g, ''), `${kim.userId}${kim.last4}`].flatMap((text) => [
        createHash('sha256').update(text).digest('hex').slice(0, 24),
        createHash('md5').update(text).digest('hex').slice(0, 24),
        createHash('sha1').update(text).digest('hex').slice(0, 24),
        Buffer.from(text).toString('hex').padEnd(24, '0').slice(0, 24),
      ]),
    ];
    for (const guess of guesses) {
      await notFound('/api/kiosk/member', { phoneLast4: kim.last4, member: guess });
      await notFound('/api/kiosk/check-in', { phoneLast4: park.last4, member: guess, bookingSeq: park.bookingSeq });
    }
    // a member's id where a handle goes is no handle at all
    const byId = await asKiosk('POST', '/api/kiosk/member', { phoneLast4: kim.last4, member: kim.userId });
    expect([byId.status, byId.json.code]).toEqual([400, 'VALIDATION']);
    expect(await fullSnapshot(h)).toEqual(before);
    // park was never checked in
    const parkBooking = await h.database.db.kysely.selectFrom('booking').select('attended').where('booking_seq', '=', park.bookingSeq).executeTakeFirstOrThrow();
    expect(Number(parkBooking.attended)).toBe(0);
  });

  it('every staff route and every staff operation through the bridge answers the kiosk 403 and writes nothing', async () => {
    const before = await fullSnapshot(h);
    const value: Record<string, string> = {
      userId: park.userId,
      groupId: 'HANBADA',
      classSeq: String(classSeq),
      bookingSeq: String(park.bookingSeq),
      id: '1',
      name: 'usePassesJob',
      job: 'usePassesJob',
      username: 'admin',
      fileName: 'members.csv',
    };
    // plausible bodies: the refusal is for who asks, whatever the request
    const body: Record<string, unknown> = { attended: true, userId: park.userId, passSeq: park.passSeq, role: 'ADMIN', password: 'taking-it-over-1', query: park.last4 };
    const staffRoutes = ROUTES.filter((r) => !['PUBLIC', 'SIGNED_IN', 'KIOSK'].includes(operations[r.operation].role));
    expect(staffRoutes.length).toBeGreaterThan(50);
    for (const route of staffRoutes) {
      const path = route.path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(value[name]!));
      const r = await asKiosk(route.method, path, route.method === 'GET' ? undefined : body);
      expect([r.status, r.json?.code], `${route.method} ${path}: ${r.text.slice(0, 200)}`).toEqual([403, 'FORBIDDEN']);
      expect(r.json.message).toEqual({ ko: expect.any(String), en: expect.any(String) });
    }
    const staffOperations = OPERATION_NAMES.filter((name) => !['PUBLIC', 'SIGNED_IN', 'KIOSK'].includes(operations[name].role));
    for (const name of staffOperations) {
      const r = await asKiosk('POST', `/api/rpc/${name}`, { userId: park.userId, bookingSeq: park.bookingSeq, attended: true });
      expect([r.status, r.json?.code], `rpc ${name}: ${r.text.slice(0, 200)}`).toEqual([403, 'FORBIDDEN']);
    }
    expect(await fullSnapshot(h)).toEqual(before);
  });

  it("the kiosk's event stream carries no job, while the front desk's carries the grant that ran meanwhile", async () => {
    /** the stream as `token` sees it; `closed` settles with all it was sent when the server ends it */
    const open = async (token: string) => {
      const response = await fetch(`${server.url}/api/events`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const closed = (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return text;
          text += decoder.decode(value, { stream: true });
        }
      })();
      return { closed, received: () => text, cancel: () => reader.cancel() };
    };
    // a kiosk session of its own, to sign out when the job is over (which ends its stream)
    const kioskStream = await httpToken(api, 'KIOSK');
    const kioskEvents = await open(kioskStream);
    const deskEvents = await open(await httpToken(api, 'FRONT_DESK'));

    // a bulk grant the front desk may watch (a kiosk may not) runs to its end (granted now: its start, within the year a grant may start in, is brought forward)
    const later = new Date(Date.now() + 300 * 86_400_000).toISOString().slice(0, 10);
    const grant = await h.service.call(h.sessions.FRONT_DESK, 'bulkGrants.create', { packageSeq: 5, userGroupId: 'HANBADA', startedAt: later });
    const { execution } = await h.service.call(h.sessions.FRONT_DESK, 'bulkGrants.grantNow', { bulkPassSeq: grant.bulkPassSeq });
    await expect.poll(() => deskEvents.received(), { timeout: 90_000 }).toMatch(new RegExp(`event: job-finished\\ndata: \\{[^\\n]*"executionId":${execution.id}\\b`));

    expect((await asKiosk('DELETE', '/api/session', undefined, kioskStream)).status).toBe(200);
    const seen = await kioskEvents.closed;
    await deskEvents.cancel();
    expect(seen).toContain(': connected');
    expect(seen).not.toContain('event:');
    expect(seen).not.toContain('executionId');
  });

  it('no answer the kiosk got holds a member id or a phone number, only masked names', () => {
    expect(answers.length).toBeGreaterThan(100);
    const everything = answers.map((a) => a.text).join('\n');
    for (const m of [kim, kang, park]) {
      const digits = m.phone.replace(/-/g, '');
      for (const secret of [m.userId, m.userName, m.phone, digits, digits.slice(3), m.phone.slice(4)]) expect(everything, `${m.userName}: ${secret}`).not.toContain(secret);
    }
    const keys = new Set(answers.flatMap((a) => keysOf(a.json)));
    for (const key of ['userId', 'user_id', 'userName', 'phone', 'passSeq', 'pass_seq']) expect(keys).not.toContain(key);
  });
});
