// A message in one line, as the conversation list, notifications, the
// forward dialog and the reply bar show it.
import type { Message, ReceiverType } from '../bridge/types';
import type { Translate } from '../i18n';
import { formatLength, isAudio } from './audio';
import type { IconName } from './icons';
import { plainText } from './markup';

/** What a conversation row shows under the name: an icon, the text, and whether it stands for no message at all. */
export interface Preview {
  icon: IconName | undefined;
  text: string;
  empty: boolean;
}

/**
 * A message in a few words: its text without markup markers, and for a
 * photo, voice message, file or place without text what it is ("Photo",
 * "Voice message (0:07)", the file's name, the place), with an icon for
 * each.
 */
export function summaryOf(m: Message, t: Translate): { icon: IconName | undefined; text: string } {
  const text = plainText(m.text).trim();
  if (m.file) {
    if (isAudio(m.type, m.file.mime)) {
      const voice = m.file.duration > 0 ? t('conversation.voiceLength', { length: formatLength(m.file.duration) }) : t('conversation.voice');
      return { icon: 'mic', text: text || voice };
    }
    if (m.type === 'image') return { icon: 'image', text: text || t('conversation.photo') };
    return { icon: 'attach', text: text || m.file.name };
  }
  if (m.location) return { icon: 'location', text: text || m.location.description || t('message.location') };
  return { icon: undefined, text };
}

/**
 * The preview of a conversation's last message: its summary, after who
 * wrote it (you, or a group member). A conversation without messages says
 * so.
 */
export function previewOf(m: Message | null, type: ReceiverType, t: Translate, senderName: (identity: string) => string): Preview {
  if (!m) return { icon: undefined, text: t('conversation.noMessages'), empty: true };
  const { icon, text } = summaryOf(m, t);
  if (m.outgoing) return { icon, text: t('conversation.you', { text }), empty: false };
  if (type === 'group') return { icon, text: `${senderName(m.sender)}: ${text}`, empty: false };
  return { icon, text, empty: false };
}
