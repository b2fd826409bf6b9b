// A notification on the desk's own screen. The Electron shell passes a callback that shows an
// Electron Notification; this file stays free of electron so it runs and is tested under Node.
import type { NotificationEvent } from '../schema.ts';
import type { NotificationMessage, Notifier } from './notifier.ts';

export interface DesktopNotification {
  title: string;
  body: string;
  message: NotificationMessage;
}

/** GLOSSARY.md's words for each event. */
const TITLES: Record<NotificationEvent, string> = {
  BEFORE_CLASS: '수업 전 알림',
  EXPIRY_REMINDER: '만료 예정 알림',
  WAITLIST_BOOKED: '대기 예약 확정',
  CLASS_CANCELLED: '수업 취소',
  CLASS_MOVED: '수업 시간 변경',
  WAITLIST_REMOVED: '대기 명단 제외',
  MEMBER_DEACTIVATED: '휴면 처리로 예약 취소',
  PASS_CANCELLED: '이용권 취소로 예약 취소',
};

export function desktopNotifier(show: (notification: DesktopNotification) => void | Promise<void>): Notifier {
  return {
    async send(message: NotificationMessage) {
      await show({ title: TITLES[message.event] ?? message.event, body: message.text, message });
    },
  };
}
