// Every migration, in the order it runs. Names are numbered; never rename or reorder one
// that has shipped: the database remembers names.
import * as batchMetadata from './001_batch_metadata.ts';
import * as passDomain from './002_pass_domain.ts';
import * as schedules from './003_schedules.ts';
import * as staff from './004_staff.ts';
import * as settings from './005_settings.ts';
import * as jobIndexes from './006_job_indexes.ts';
import * as statisticsIndex from './007_statistics_index.ts';
import * as people from './008_people.ts';
import * as signIn from './009_sign_in.ts';
import * as memberMemo from './010_member_memo.ts';
import * as classes from './011_classes.ts';
import * as attendance from './012_attendance.ts';
import * as classCancel from './013_class_cancel.ts';
import * as waitlistRemoved from './014_waitlist_removed.ts';
import * as packageSale from './015_package_sale.ts';
import * as prices from './016_prices.ts';
import * as passCancel from './017_pass_cancel.ts';
import * as paymentMethod from './018_payment_method.ts';

export const migrations = {
  '001_batch_metadata': batchMetadata,
  '002_pass_domain': passDomain,
  '003_schedules': schedules,
  '004_staff': staff,
  '005_settings': settings,
  '006_job_indexes': jobIndexes,
  '007_statistics_index': statisticsIndex,
  '008_people': people,
  '009_sign_in': signIn,
  '010_member_memo': memberMemo,
  '011_classes': classes,
  '012_attendance': attendance,
  '013_class_cancel': classCancel,
  '014_waitlist_removed': waitlistRemoved,
  '015_package_sale': packageSale,
  '016_prices': prices,
  '017_pass_cancel': passCancel,
  '018_payment_method': paymentMethod,
};
