// English UI strings: the reference set. Every other language must define
// exactly these keys (enforced by the Messages type and by i18n.test.ts).
// Placeholders are written {name}.
export const en = {
  'app.name': 'Kurier',
  'sidebar.label': 'Conversations',
  'sidebar.search.placeholder': 'Search conversations',
  'sidebar.search.label': 'Search',
  'sidebar.settings': 'Settings',
  'conversations.empty.title': 'No conversations yet',
  'conversations.empty.hint': 'Pair your phone to see your chats here.',
  'conversations.noMatch': 'Nothing matches “{query}”.',
  'link.unpaired': 'Not paired',
  'link.connecting': 'Connecting…',
  'link.connected': 'Connected to your phone',
  'link.disconnected': 'Phone unreachable',
  'main.welcome.title': 'Welcome to Kurier',
  'main.welcome.body': 'End-to-end encrypted messaging on your computer, paired with your phone.',
  'main.welcome.select': 'Select a conversation to start chatting.',
  'settings.title': 'Settings',
  'settings.close': 'Close settings',
  'settings.theme': 'Theme',
  'settings.theme.system': 'Same as system',
  'settings.theme.light': 'Light',
  'settings.theme.dark': 'Dark',
  'settings.language': 'Language',
  'settings.language.system': 'Same as system',
  'settings.language.en': 'English',
  'settings.language.de': 'Deutsch',
  'settings.about': 'About',
  'settings.version': 'Version {version}',
  'settings.mode.window': 'Desktop window',
  'settings.mode.web': 'Web client',
  'error.bridge': 'Kurier could not reach its core: {message}',
} as const;

/** A UI string key. */
export type MessageKey = keyof typeof en;

/** A complete set of UI strings for one language. */
export type Messages = Record<MessageKey, string>;
