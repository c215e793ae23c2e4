// Package app is the desktop client's Go side: the services bound to the UI
// (one per feature), the event hub that streams state changes to it, and their
// wiring to the local store.
//
// The same service structs serve both transports: Wails bindings in the desktop
// window and the WebSocket bridge of web mode (package app/web). Bound methods
// return (T, error) with T a named struct, so Wails writes typed TypeScript
// models for them.
package app
