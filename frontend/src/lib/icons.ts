// The names of the SVG icons Icon.svelte draws.

/** An icon of the UI chrome. */
export type IconName =
  | 'contacts'
  | 'groups'
  | 'profile'
  | 'settings'
  | 'attach'
  | 'send'
  | 'close'
  | 'reply'
  | 'retry'
  | 'react'
  | 'more'
  | 'archive'
  | 'file'
  | 'pin'
  | 'muted'
  | 'location'
  | 'clock'
  | 'check'
  | 'checks'
  | 'alert'
  | 'back'
  | 'play'
  | 'pause'
  | 'mic'
  | 'stop';
