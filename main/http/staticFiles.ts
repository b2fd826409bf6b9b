// The built renderer, served from one folder: only regular files under it (no "..", no
// symlinks out of it), index.html for the screens' own paths, and a strict CSP.
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { contentTypeOf } from '../app/contentTypes.ts';


export const STATIC_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

export interface StaticFile {
  path: string;
  size: number;
  type: string;
  stream(): NodeJS.ReadableStream;
}

/** The file a URL path names under `root`, index.html for extension-less paths; null when none. */
export async function findStaticFile(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const base = await realpath(resolve(root)).catch(() => null);
  if (!base) return null;
  const wanted = decoded.endsWith('/') ? `${decoded}index.html` : decoded;
  const candidates = [wanted];
  if (!extname(wanted)) candidates.push('/index.html');
  for (const candidate of candidates) {
    const full = resolve(join(base, candidate));
    if (full !== base && !full.startsWith(base + sep)) continue;
    const real = await realpath(full).catch(() => null);
    if (!real || !real.startsWith(base + sep)) continue;
    const info = await stat(real).catch(() => null);
    if (!info?.isFile()) continue;
    return {
      path: real,
      size: info.size,
      type: contentTypeOf(real),
      stream: () => createReadStream(real),
    };
  }
  return null;
}
