// The member ids the console gives new members, typed at the desk or read from an import:
// letters, digits, '.', '_' and '-' only, since an id goes into file names and paths (a report,
// a rejects file). Members already in the database keep whatever id they have.
export const isNewMemberId = (text: string): boolean => /^[\p{L}\p{N}._-]+$/u.test(text);
