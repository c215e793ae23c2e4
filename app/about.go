package app

import "github.com/kurier/kurier/internal/buildinfo"

// How the UI is being shown.
const (
	// ModeWindow: the native desktop window (Wails).
	ModeWindow = "window"
	// ModeWeb: the same UI served to a browser (kurier --web).
	ModeWeb = "web"
)

// Modes lists every display mode.
func Modes() []string { return []string{ModeWindow, ModeWeb} }

// AppInfo describes the running program for the About screen.
type AppInfo struct {
	// Name is the product name, "Kurier".
	Name string `json:"name"`
	// Version is the release stamped at build time.
	Version string `json:"version"`
	// Mode is "window" or "web".
	Mode string `json:"mode"`
}

// AboutService is bound to the UI and tells it what program it runs in.
type AboutService struct {
	info AppInfo
}

// NewAboutService returns the service for the given mode.
func NewAboutService(mode string) *AboutService {
	return &AboutService{info: AppInfo{Name: buildinfo.ProductName, Version: buildinfo.Version, Mode: mode}}
}

// Info returns the program's name, version and display mode.
func (a *AboutService) Info() (AppInfo, error) {
	return a.info, nil
}
