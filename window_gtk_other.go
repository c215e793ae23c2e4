//go:build !linux

package main

import "github.com/wailsapp/wails/v2/pkg/options"

// paintMainWindow does nothing here: the window's background option covers
// its first frames on Windows and macOS.
func paintMainWindow(*options.RGBA) {}

// enableMicrophone does nothing here: WebView2 and WKWebView ask the user
// themselves.
func enableMicrophone() {}
