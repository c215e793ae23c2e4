// Event names pushed from Go, mirrored from the constants in app/events.go
// (app/bindings_sync_test.go keeps them in step), with their payload parsers.
import { parseLinkStatus, parseSettings, type LinkStatus, type Settings } from './types';

export const Events = {
  settingsChanged: 'settings:changed',
  linkStatus: 'link:status',
} as const;

/** Every event name. */
export type EventName = (typeof Events)[keyof typeof Events];

/** The payload type of each event. */
export interface EventPayloads {
  'settings:changed': Settings;
  'link:status': LinkStatus;
}

/** Validates each event's payload before a handler sees it. */
export const eventParsers: { [E in EventName]: (v: unknown) => EventPayloads[E] } = {
  'settings:changed': parseSettings,
  'link:status': parseLinkStatus,
};
