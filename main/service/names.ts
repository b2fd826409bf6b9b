// Words the service's messages share. Names people type for the things they make (a package, a
// group): two are one name when they differ only in spaces or letter case ("PT  10회" is
// "pt 10회"), since people read them as one and an import file names them. And amounts of won.
export function sameName(a: string, b: string): boolean {
  const key = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();
  return key(a) === key(b);
}

/** An amount of whole won as a message writes it, in each language: "300,000원" / "₩300,000". */
export const wonText = (n: number): { ko: string; en: string } => ({ ko: `${n.toLocaleString('ko-KR')}원`, en: `₩${n.toLocaleString('en-US')}` });
