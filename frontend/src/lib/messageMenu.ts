// What the context menu of a message offers, and where it opens.
import type { Message } from '../bridge';
import { delivery } from './messages';

/** An entry of a message's context menu. */
export type MenuAction = 'reply' | 'react' | 'copy' | 'forward' | 'details' | 'edit' | 'delete' | 'deleteForEveryone';

/** Which message types can be forwarded (ChatService.Forward). */
const forwardable = new Set(['text', 'image', 'file', 'location']);

/** The text "Copy text" copies: the text or caption, else a location's description and position. */
export function copyText(m: Message): string {
  if (m.text) return m.text;
  if (m.location) {
    const at = `${m.location.lat.toFixed(5)}, ${m.location.lon.toFixed(5)}`;
    return m.location.description ? `${m.location.description}\n${at}` : at;
  }
  return '';
}

/**
 * How long after sending an own message can be edited or deleted for
 * everyone: 6 hours, as in the Threema apps (Go: phone.EditWindow).
 */
export const editWindowMs = 6 * 60 * 60 * 1000;

/**
 * The entries of m's menu in order; empty for a status message (it has no
 * menu). A message still waiting for the phone (queued) exists only here:
 * it can be copied, looked at and deleted. Edit and delete for everyone are
 * for own messages, 1:1 or in a group, when the phone takes them (canEdit)
 * and for editWindowMs after sending (now is the current time in ms).
 */
export function menuActions(m: Message, canEdit: boolean, now: number = Date.now()): MenuAction[] {
  if (m.type === 'status') return [];
  const queued = m.state === 'queued';
  const failed = delivery(m.state) === 'failed';
  const onPhone = !queued && !failed;
  const out: MenuAction[] = [];
  if (!queued) out.push('reply');
  if (onPhone) out.push('react');
  if (copyText(m) !== '') out.push('copy');
  if (!queued && forwardable.has(m.type) && (m.type !== 'text' || m.text.trim() !== '')) out.push('forward');
  out.push('details');
  const changeable = canEdit && m.outgoing && onPhone && now - m.date <= editWindowMs;
  if (changeable && m.type === 'text') out.push('edit');
  out.push('delete');
  if (changeable) out.push('deleteForEveryone');
  return out;
}

/** A box's size. */
export interface Size {
  width: number;
  height: number;
}

/**
 * Where a menu of size `menu` opened at (x, y) goes so that it stays inside
 * the viewport: to the left of / above the point when it would cross the
 * right / bottom edge, and never past the top-left margin.
 */
export function placeMenu(x: number, y: number, menu: Size, viewport: Size, margin = 4): { left: number; top: number } {
  let left = x;
  let top = y;
  if (left + menu.width > viewport.width - margin) left = x - menu.width;
  if (top + menu.height > viewport.height - margin) top = y - menu.height;
  left = Math.max(margin, Math.min(left, viewport.width - menu.width - margin));
  top = Math.max(margin, Math.min(top, viewport.height - menu.height - margin));
  return { left, top };
}
