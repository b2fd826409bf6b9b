// 패키지: what the gym sells ("PT 10회 / 60일"), kept by its managers. A package is made with a
// name, the uses its passes start with (or unlimited) and the days they last (or no end); its
// name, uses and days can change, and the passes already sold keep their own uses and end (a pass
// copies them when it is sold). A package is never deleted, only taken off sale: its passes, its
// bulk grants done and the classes that take it keep pointing at it, and nothing new is sold of
// it (a desk sale, a bulk grant, a class newly taking it: `packageForSale`). While a bulk grant of
// it waits to be granted its uses and days can't change and it can't go off sale, so a grant
// never gives one group two kinds of pass. Its price (whole won, or none) is what the desk sells a
// pass of it for: a sale copies it onto the pass (`pass.price`), so a change of price, like one of
// uses or days, applies to the passes sold afterwards only.
import { getJosaPicker } from 'josa';
import { forUpdate, fromDbTime, toDbTime } from '../batch/index.ts';
import { BulkPassStatus } from '../pass/schema.ts';
import { iso, type HandlerContext } from './context.ts';
import type { PackageView, ParsedInputOf } from './contract.ts';
import { conflict, notFound, ServiceError } from './errors.ts';
import { sameName } from './names.ts';
import { num, type Executor } from './tables.ts';

const COLUMNS = ['package_seq', 'package_name', 'count', 'period', 'retired_at', 'price'] as const;

type PackageRow = { package_seq: number; package_name: string; count: number | null; period: number | null; retired_at: string | null; price: number | null };

function packageView(r: PackageRow): PackageView {
  return {
    packageSeq: num(r.package_seq),
    packageName: r.package_name,
    count: r.count === null ? null : num(r.count),
    period: r.period === null ? null : num(r.period),
    retiredAt: iso(fromDbTime(r.retired_at)),
    price: r.price === null ? null : num(r.price),
  };
}

/** Every package, on sale or not, in the order they were made. */
export async function listPackages(ctx: HandlerContext): Promise<PackageView[]> {
  const rows = await ctx.db.selectFrom('package').select(COLUMNS).orderBy('package_seq').execute();
  return rows.map(packageView);
}

/**
 * The package a new sale, bulk grant or class is made with: refused by name when it does not
 * exist or is off sale (`alreadyChosen`: a class keeping a package it took before it went off
 * sale may keep it). `field` names the input it came from.
 */
export async function packageForSale(tx: Executor, packageSeq: number, field: string, alreadyChosen = false): Promise<PackageRow> {
  const pkg = await tx.selectFrom('package').select(COLUMNS).where('package_seq', '=', packageSeq).executeTakeFirst();
  if (!pkg) throw notFound({ ko: `패키지 ${packageSeq}`, en: `Package ${packageSeq}` }, field);
  if (pkg.retired_at !== null && !alreadyChosen) {
    throw new ServiceError(
      'CONFLICT',
      {
        ko: `'${pkg.package_name}' 패키지는 판매를 멈췄습니다. 다른 패키지를 고르거나, 매니저가 패키지 화면에서 다시 판매하게 하세요.`,
        en: `'${pkg.package_name}' is off sale. Choose another package, or have a manager put it back on sale on the Packages screen.`,
      },
      field,
    );
  }
  return pkg;
}

export async function createPackage(ctx: HandlerContext, input: ParsedInputOf<'packages.create'>): Promise<PackageView> {
  return ctx.db.transaction().execute(async (tx) => {
    await refuseTakenName(tx, input.packageName, null);
    const result = await tx
      .insertInto('package')
      .values({ package_name: input.packageName, count: input.count, period: input.period, price: input.price ?? null, created_at: toDbTime(ctx.now), modified_at: null, retired_at: null })
      .executeTakeFirst();
    const packageSeq = num(result.insertId);
    await ctx.audit({ action: 'packages.create', target: `package:${packageSeq}`, detail: input }, tx);
    return packageView(await lockPackage(ctx, tx, packageSeq));
  });
}

export async function updatePackage(ctx: HandlerContext, input: ParsedInputOf<'packages.update'>): Promise<PackageView> {
  return ctx.db.transaction().execute(async (tx) => {
    const before = await lockPackage(ctx, tx, input.packageSeq);
    const was = packageView(before);
    const change: { package_name?: string; count?: number | null; period?: number | null; price?: number | null } = {};
    if (input.packageName !== undefined && input.packageName !== was.packageName) {
      await refuseTakenName(tx, input.packageName, was.packageSeq);
      change.package_name = input.packageName;
    }
    if (input.count !== undefined && input.count !== was.count) change.count = input.count;
    if (input.period !== undefined && input.period !== was.period) change.period = input.period;
    // A price may change while a bulk grant of the package waits: a grant gives its passes, it
    // doesn't sell them (they keep no price), so what the grant gives stays the same.
    if (input.price !== undefined && input.price !== was.price) change.price = input.price;
    if (change.count !== undefined || change.period !== undefined) {
      await refuseWaitingGrant(ctx, tx, before, { ko: '횟수나 기간을 바꿀', en: 'change its uses or days' });
    }
    if (Object.keys(change).length === 0) return was;
    await tx.updateTable('package').set({ ...change, modified_at: toDbTime(ctx.now) }).where('package_seq', '=', was.packageSeq).execute();
    await ctx.audit(
      { action: 'packages.update', target: `package:${was.packageSeq}`, detail: { ...input, before: { packageName: was.packageName, count: was.count, period: was.period, price: was.price } } },
      tx,
    );
    return packageView(await lockPackage(ctx, tx, before.package_seq));
  });
}

export async function retirePackage(ctx: HandlerContext, input: ParsedInputOf<'packages.retire'>): Promise<PackageView> {
  return ctx.db.transaction().execute(async (tx) => {
    const pkg = await lockPackage(ctx, tx, input.packageSeq);
    if (pkg.retired_at !== null) throw conflict({ ko: `'${pkg.package_name}' 패키지는 이미 판매를 멈췄습니다.`, en: `'${pkg.package_name}' is already off sale.` });
    await refuseWaitingGrant(ctx, tx, pkg, { ko: '판매를 멈출', en: 'take it off sale' });
    await tx.updateTable('package').set({ retired_at: toDbTime(ctx.now), modified_at: toDbTime(ctx.now) }).where('package_seq', '=', pkg.package_seq).execute();
    await ctx.audit({ action: 'packages.retire', target: `package:${pkg.package_seq}`, detail: { packageSeq: num(pkg.package_seq), packageName: pkg.package_name } }, tx);
    return packageView(await lockPackage(ctx, tx, pkg.package_seq));
  });
}

export async function restorePackage(ctx: HandlerContext, input: ParsedInputOf<'packages.restore'>): Promise<PackageView> {
  return ctx.db.transaction().execute(async (tx) => {
    const pkg = await lockPackage(ctx, tx, input.packageSeq);
    if (pkg.retired_at === null) throw conflict({ ko: `'${pkg.package_name}' 패키지는 이미 판매 중입니다.`, en: `'${pkg.package_name}' is already on sale.` });
    await tx.updateTable('package').set({ retired_at: null, modified_at: toDbTime(ctx.now) }).where('package_seq', '=', pkg.package_seq).execute();
    await ctx.audit({ action: 'packages.restore', target: `package:${pkg.package_seq}`, detail: { packageSeq: num(pkg.package_seq), packageName: pkg.package_name } }, tx);
    return packageView(await lockPackage(ctx, tx, pkg.package_seq));
  });
}

/** The package, locked for the rest of the transaction (MySQL; SQLite has one writer at a time). */
async function lockPackage(ctx: HandlerContext, tx: Executor, packageSeq: number): Promise<PackageRow> {
  const pkg = await forUpdate(ctx.database.dialect, tx.selectFrom('package').select(COLUMNS).where('package_seq', '=', packageSeq)).executeTakeFirst();
  if (!pkg) throw notFound({ ko: `패키지 ${packageSeq}`, en: `Package ${packageSeq}` }, 'packageSeq');
  return pkg;
}

/** Two packages by one name would be one to the desk and to an import file, which names packages: refused, spaces and case aside. */
async function refuseTakenName(tx: Executor, packageName: string, self: number | null): Promise<void> {
  const all = await tx.selectFrom('package').select(['package_seq', 'package_name']).execute();
  const taken = all.find((p) => sameName(p.package_name, packageName) && num(p.package_seq) !== self);
  if (taken) {
    throw new ServiceError(
      'CONFLICT',
      { ko: `'${taken.package_name}' 패키지가 이미 있습니다. 다른 이름을 쓰세요.`, en: `There is already a package called '${taken.package_name}'. Choose another name.` },
      'packageName',
    );
  }
}

/** A bulk grant of the package still to be granted (READY, perhaps part-way): what it would change under it. Locked, so none starts meanwhile. */
async function refuseWaitingGrant(ctx: HandlerContext, tx: Executor, pkg: PackageRow, doing: { ko: string; en: string }): Promise<void> {
  const waiting = await forUpdate(
    ctx.database.dialect,
    tx.selectFrom('bulk_pass').select(['bulk_pass_seq']).where('package_seq', '=', pkg.package_seq).where('status', '=', BulkPassStatus.READY).orderBy('bulk_pass_seq'),
  ).execute();
  if (waiting.length === 0) return;
  const seqs = waiting.map((g) => `#${num(g.bulk_pass_seq)}`).join(', ');
  throw conflict({
    ko: `일괄 지급 ${seqs}${getJosaPicker('이')(seqs)} '${pkg.package_name}' 패키지로 지급을 기다리고 있어 ${doing.ko} 수 없습니다. 지급이 끝난 뒤에, 또는 일괄 지급 화면에서 그 지급을 취소한 뒤에 하세요.`,
    en: `Bulk grant ${seqs} is waiting to grant '${pkg.package_name}', so you can't ${doing.en} now. Do it once the grant is done, or cancel that grant on the Bulk grants screen first.`,
  });
}
