// Package web is the desktop client's web mode: it serves the UI bundle to a
// browser and carries the bridge over a WebSocket at /bridge, calling the same
// service structs that Wails binds in the window.
//
// Wire format (JSON text frames):
//
//	browser → Go: {"id": 7, "method": "SettingsService.SetTheme", "args": ["dark"]}
//	Go → browser: {"id": 7, "result": {...}}  or  {"id": 7, "error": "message"}
//	Go → browser: {"event": "settings:changed", "data": {...}}
//
// The TypeScript side is frontend/src/bridge/websocket.ts.
package web
