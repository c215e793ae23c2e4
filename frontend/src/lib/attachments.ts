// Files staged for sending in the preview: what may be added (count and
// size limits), which are images shown as such, and what goes to Go.
import type { FileUpload } from '../bridge';
import type { Translate } from '../i18n';
import { blobToBase64 } from './files';
import { formatSize } from './format';

/** At most this many files are sent in one go (WhatsApp allows 30, Signal 32; Threema Desktop 10). */
export const maxAttachments = 10;

/**
 * Image types every engine shows and Threema's apps render as media; other
 * image types (SVG, HEIC, TIFF, …) are sent as plain files.
 */
const mediaImageTypes = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

/** A file staged in the preview, with its own caption. */
export interface Attachment {
  /** Stable within one preview (for keyed lists and selection). */
  key: number;
  file: File;
  /** Shown and sent as an image (unless "send as file" is on). */
  image: boolean;
  caption: string;
}

/** Why a file was not added. */
export type Refusal =
  | { kind: 'tooLarge'; name: string; size: number }
  | { kind: 'empty'; name: string }
  | { kind: 'tooMany'; dropped: number };

/** The sentence that says why a file was not added. */
export function refusalSentence(t: Translate, r: Refusal, maxBytes: number): string {
  switch (r.kind) {
    case 'tooLarge':
      return t('composer.tooLarge', { name: r.name, size: formatSize(r.size), max: formatSize(maxBytes) });
    case 'empty':
      return t('preview.empty', { name: r.name });
    case 'tooMany':
      return t('preview.tooMany', { max: maxAttachments, dropped: r.dropped });
  }
}

/** Whether a file of this MIME type is sent (and previewed) as an image. */
export function isMediaImage(mime: string): boolean {
  return mediaImageTypes.includes(mime.toLowerCase().split(';')[0]?.trim() ?? '');
}

let nextKey = 1;

/**
 * Adds files to the staged ones: each too large or empty is refused, and
 * what exceeds maxAttachments is dropped (and counted).
 */
export function addFiles(current: readonly Attachment[], files: readonly File[], maxBytes: number): { items: Attachment[]; refused: Refusal[] } {
  const items = [...current];
  const refused: Refusal[] = [];
  let dropped = 0;
  for (const file of files) {
    if (file.size > maxBytes) {
      refused.push({ kind: 'tooLarge', name: file.name, size: file.size });
    } else if (file.size === 0) {
      refused.push({ kind: 'empty', name: file.name });
    } else if (items.length >= maxAttachments) {
      dropped++;
    } else {
      items.push({ key: nextKey++, file, image: isMediaImage(file.type), caption: '' });
    }
  }
  if (dropped > 0) refused.push({ kind: 'tooMany', dropped });
  return { items, refused };
}

/** A name for a file that has none (a pasted screenshot is "image.png" in Chromium, "" elsewhere). */
export function nameOf(file: File, at: Date): string {
  if (file.name) return file.name;
  const ext = (file.type.split('/')[1] ?? 'bin').replace('jpeg', 'jpg').replace(/[^a-z0-9]/gi, '');
  const p = (n: number) => String(n).padStart(2, '0');
  return `pasted-${at.getFullYear()}${p(at.getMonth() + 1)}${p(at.getDate())}-${p(at.getHours())}${p(at.getMinutes())}${p(at.getSeconds())}.${ext || 'bin'}`;
}

/**
 * What Go gets for one staged file: its own bytes (never re-encoded), its
 * caption, and whether it goes as a plain file — every file that is not a
 * media image, and images too when the user chose "send as file".
 */
export async function uploadOf(a: Attachment, asFile: boolean, at: Date): Promise<FileUpload> {
  return {
    name: nameOf(a.file, at),
    mime: a.file.type || 'application/octet-stream',
    data: await blobToBase64(a.file),
    caption: a.caption.trim(),
    sendAsFile: !a.image || asFile,
  };
}
