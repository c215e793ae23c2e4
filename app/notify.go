package app

import (
	"fmt"
	"sync"

	"github.com/godbus/dbus/v5"

	"github.com/kurier/kurier/internal/buildinfo"
)

// Notifier shows desktop notifications.
type Notifier interface {
	Notify(title, body string) error
}

// Notification limits: what the UI may ask for.
const (
	maxNotificationTitle = 256
	maxNotificationBody  = 1024
)

// NotificationService is bound to the UI: it shows a desktop notification
// through the OS (the UI decides when: window not focused, preferences).
type NotificationService struct {
	notifier Notifier
}

// Show displays n through the OS. Without an OS notification service it
// returns ErrNoNotifier, and the UI falls back to the web view's own
// notifications.
func (s *NotificationService) Show(n Notification) error {
	if len(n.Title) > maxNotificationTitle || len(n.Body) > maxNotificationBody {
		return fmt.Errorf("%w: notification too long", ErrInvalid)
	}
	if s.notifier == nil {
		return ErrNoNotifier
	}
	return s.notifier.Notify(n.Title, n.Body)
}

// DBusNotifier sends notifications with org.freedesktop.Notifications on the
// session bus (Linux desktops). It connects on first use.
type DBusNotifier struct {
	mu   sync.Mutex
	conn *dbus.Conn
	last uint32
}

// Notify replaces the previous notification of this app with a new one.
func (d *DBusNotifier) Notify(title, body string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn == nil {
		c, err := dbus.ConnectSessionBus()
		if err != nil {
			return fmt.Errorf("app: notification: %w", err)
		}
		d.conn = c
	}
	obj := d.conn.Object("org.freedesktop.Notifications", "/org/freedesktop/Notifications")
	call := obj.Call("org.freedesktop.Notifications.Notify", 0, buildinfo.ProductName, d.last, "kurier",
		title, body, []string{}, map[string]dbus.Variant{}, int32(-1))
	if call.Err != nil {
		return fmt.Errorf("app: notification: %w", call.Err)
	}
	_ = call.Store(&d.last)
	return nil
}

// Close releases the bus connection.
func (d *DBusNotifier) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.conn == nil {
		return nil
	}
	err := d.conn.Close()
	d.conn = nil
	return err
}
