//go:build linux

package main

import "os"

// x11SoftwareRendering are the variables that keep GTK and WebKitGTK from
// setting up GPU paths the window never uses on X11, where its web view
// renders without the GPU (Wails' WebviewGpuPolicyNever): GTK's own OpenGL
// (GdkGLContext, with which GDK also picks its visual), and WebKit's DMA-BUF
// renderer, which hands frames from the web process to the window through
// the GPU. Left on, they load and initialise the GL driver's state in the
// window's process for nothing: 7 MiB of the process tree (docs/benchmarks.md).
var x11SoftwareRendering = []struct{ name, value string }{
	{"GDK_GL", "disable"},
	{"WEBKIT_DISABLE_DMABUF_RENDERER", "1"},
}

// chooseDisplay picks GTK's backend as Wails does, X11 unless the session
// says otherwise, and on X11 turns the unused GPU paths off, leaving alone
// every variable the user set (WEBKIT_DISABLE_DMABUF_RENDERER=0 keeps
// WebKit's DMA-BUF renderer). It must run before GTK starts.
func chooseDisplay() {
	if os.Getenv("GDK_BACKEND") == "" {
		switch os.Getenv("XDG_SESSION_TYPE") {
		case "", "unspecified", "x11":
			_ = os.Setenv("GDK_BACKEND", "x11")
		}
	}
	if os.Getenv("GDK_BACKEND") != "x11" {
		return
	}
	for _, v := range x11SoftwareRendering {
		if _, set := os.LookupEnv(v.name); !set {
			_ = os.Setenv(v.name, v.value)
		}
	}
}
