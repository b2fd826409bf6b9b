// A desk sale of a package sold for more than 0원 says how it was paid (passes.register's
// paymentMethod, migration 018); one of a package with no price or at 0원 takes none. The demo gym
// (main/pass/demo/demoGym.ts) sells packages 1, 2, 3 and 5 for money; its opening bonus (4) has
// no price and 인바디 상담 (6) is 0원.
import type { PaymentMethod } from '../../main/service/contract.ts';

const DEMO_PAID = new Set([1, 2, 3, 5]);

/** What a sale of the demo gym's `packageSeq` adds to passes.register's input: a method when it is paid for. */
export const paidFor = (packageSeq: number, paymentMethod: PaymentMethod = 'CARD'): { paymentMethod?: PaymentMethod } => (DEMO_PAID.has(packageSeq) ? { paymentMethod } : {});
