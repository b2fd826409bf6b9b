// Names people type for the things they make (a package, a group): two are one name when they
// differ only in spaces or letter case ("PT  10회" is "pt 10회"), since people read them as one and
// an import file names them.
export function sameName(a: string, b: string): boolean {
  const key = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();
  return key(a) === key(b);
}
