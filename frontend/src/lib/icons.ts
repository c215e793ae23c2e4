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
  | 'file'
  | 'pin'
  | 'muted'
  | 'location'
  | 'clock'
  | 'check'
  | 'checks'
  | 'alert'
  | 'back'
  | 'more'
  | 'copy'
  | 'forward'
  | 'info'
  | 'edit'
  | 'trash';
