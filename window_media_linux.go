//go:build linux

package main

/*
#cgo pkg-config: gtk+-3.0
#cgo webkit2_41 pkg-config: webkit2gtk-4.1
#cgo !webkit2_41 pkg-config: webkit2gtk-4.0
#include <gtk/gtk.h>
#include <webkit2/webkit2.h>

static gboolean kurier_mock_capture = FALSE;

// The microphone for voice messages: the page asks for audio alone when the
// user presses the record button; anything else (camera, screen, location,
// notifications: the window shows those its own way) is left to WebKit's
// default, a refusal.
static gboolean kurier_on_permission(WebKitWebView *view, WebKitPermissionRequest *request, gpointer data) {
	if (WEBKIT_IS_USER_MEDIA_PERMISSION_REQUEST(request)) {
		WebKitUserMediaPermissionRequest *media = WEBKIT_USER_MEDIA_PERMISSION_REQUEST(request);
		if (webkit_user_media_permission_is_for_audio_device(media) && !webkit_user_media_permission_is_for_video_device(media)) {
			webkit_permission_request_allow(request);
			return TRUE;
		}
	}
	return FALSE;
}

// Wails creates the web view with media streams off and answers no
// permission request. The view gets a parent (Wails' box) before Wails
// loads the page, so this is early enough for navigator.mediaDevices.
static gboolean kurier_on_parent_set(GSignalInvocationHint *hint, guint n, const GValue *values, gpointer data) {
	GObject *obj = g_value_get_object(&values[0]);
	if (!WEBKIT_IS_WEB_VIEW(obj) || g_object_get_data(obj, "kurier-media") != NULL) {
		return TRUE;
	}
	g_object_set_data(obj, "kurier-media", GINT_TO_POINTER(1));
	WebKitSettings *settings = webkit_web_view_get_settings(WEBKIT_WEB_VIEW(obj));
	webkit_settings_set_enable_media_stream(settings, TRUE);
	if (kurier_mock_capture) {
		webkit_settings_set_enable_mock_capture_devices(settings, TRUE);
	}
	g_signal_connect(obj, "permission-request", G_CALLBACK(kurier_on_permission), NULL);
	return TRUE;
}

static void kurier_enable_microphone(int mock) {
	if (!gtk_init_check(NULL, NULL)) {
		return;
	}
	kurier_mock_capture = mock != 0;
	g_signal_add_emission_hook(g_signal_lookup("parent-set", GTK_TYPE_WIDGET), 0, kurier_on_parent_set, NULL, NULL);
}
*/
import "C"

import "os"

// enableMicrophone lets the window's web view record voice messages: media
// streams on, and the page's requests for a microphone (audio alone)
// granted — the user asked by pressing the record button. With
// KURIER_MOCK_CAPTURE=1, WebKit's mock capture devices stand in for a
// microphone (the window tests run under Xvfb, with no sound hardware). It
// must run on the main thread before wails.Run.
func enableMicrophone() {
	mock := 0
	if os.Getenv("KURIER_MOCK_CAPTURE") == "1" {
		mock = 1
	}
	C.kurier_enable_microphone(C.int(mock))
}
