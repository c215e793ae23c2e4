//go:build linux

package main

/*
#cgo pkg-config: gtk+-3.0 x11
#include <stdio.h>
#include <gtk/gtk.h>
#include <gdk/gdkx.h>

static GdkRGBA kurier_background;

// On each plain toplevel GtkWindow realized (Wails' main window), once its
// X window exists and before it is mapped (realize's emission hooks run
// after its class handler), the X window's own background (what the X
// server shows until GTK draws) and the window's CSS background (what GTK
// draws until the web view does) take the theme's colour.
static gboolean kurier_on_realize(GSignalInvocationHint *hint, guint n, const GValue *values, gpointer data) {
	GObject *obj = g_value_get_object(&values[0]);
	// Wails' window is a plain toplevel GtkWindow; dialogs are subclasses,
	// and WebKit's offscreen windows are not toplevels.
	if (G_OBJECT_TYPE(obj) != GTK_TYPE_WINDOW || gtk_window_get_window_type(GTK_WINDOW(obj)) != GTK_WINDOW_TOPLEVEL) {
		return TRUE;
	}
	GtkWidget *w = GTK_WIDGET(obj);
	GdkWindow *gw = gtk_widget_get_window(w);
	if (gw != NULL && GDK_IS_X11_WINDOW(gw)) {
		// GTK 3 leaves X windows without a background ("None"): set a
		// pixel of the window's TrueColor visual.
		unsigned long pixel = ((unsigned long)(kurier_background.red * 255) << 16) |
			((unsigned long)(kurier_background.green * 255) << 8) | (unsigned long)(kurier_background.blue * 255);
		if (gdk_visual_get_depth(gdk_window_get_visual(gw)) == 32) {
			pixel |= 0xff000000UL; // an ARGB visual (client-side decorations): opaque
		}
		XSetWindowBackground(GDK_WINDOW_XDISPLAY(gw), GDK_WINDOW_XID(gw), pixel);
	}
	char css[96];
	snprintf(css, sizeof css, "window { background-color: rgb(%d, %d, %d); }",
		(int)(kurier_background.red * 255), (int)(kurier_background.green * 255), (int)(kurier_background.blue * 255));
	GtkCssProvider *provider = gtk_css_provider_new();
	gtk_css_provider_load_from_data(provider, css, -1, NULL);
	gtk_style_context_add_provider(gtk_widget_get_style_context(w), GTK_STYLE_PROVIDER(provider),
		GTK_STYLE_PROVIDER_PRIORITY_USER);
	g_object_unref(provider);
	return TRUE;
}

static int kurier_paint_main_window(int r, int g, int b) {
	if (!gtk_init_check(NULL, NULL)) {
		return 0;
	}
	kurier_background = (GdkRGBA){r / 255.0, g / 255.0, b / 255.0, 1.0};
	g_signal_add_emission_hook(g_signal_lookup("realize", GTK_TYPE_WIDGET), 0, kurier_on_realize, NULL, NULL);
	return 1;
}
*/
import "C"

import (
	"runtime"

	"github.com/wailsapp/wails/v2/pkg/options"
)

// GTK wants one thread: the main goroutine stays on the main thread, where
// Wails runs GTK too.
func init() { runtime.LockOSThread() }

// paintMainWindow makes the window's first frames bg: until the web view
// draws, GTK shows the X window's background (black) and then its theme's
// window colour (a light grey under Adwaita). It initialises GTK (Wails'
// own initialisation then finds it done) and must run on the main thread
// before wails.Run.
func paintMainWindow(bg *options.RGBA) {
	chooseDisplay()
	C.kurier_paint_main_window(C.int(bg.R), C.int(bg.G), C.int(bg.B))
}
