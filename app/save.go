package app

import (
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// FileSaver asks the user where to save a file: in the window, the native
// Save dialog. (WebKitGTK saves a page's download silently into the
// downloads folder, so the window asks Go instead; a browser in web mode
// downloads as usual.)
type FileSaver interface {
	// SavePath asks where to save a file suggested as name and returns the
	// path chosen, or "" when the user cancelled.
	SavePath(name string) (string, error)
}

// SavedFile says where ChatService.SaveFile wrote a file.
type SavedFile struct {
	// Path is the file written; "" when the user cancelled the dialog.
	Path string `json:"path"`
}

var (
	// ErrNoSaver: there is no Save dialog here (web mode: the browser
	// downloads files itself).
	ErrNoSaver = errors.New("no save dialog here")
	// ErrCannotWrite: the file could not be written where the user chose.
	ErrCannotWrite = errors.New("cannot write the file there")
)

// SaveFile asks where to save a message's file (the Save dialog, with the
// file's own name suggested) and writes it there. It returns an empty path
// when the user cancelled.
func (c *ChatService) SaveFile(r Receiver, messageID string) (SavedFile, error) {
	if c.saver == nil {
		return SavedFile{}, ErrNoSaver
	}
	fd, err := c.File(r, messageID)
	if err != nil {
		return SavedFile{}, err
	}
	data, err := base64.StdEncoding.DecodeString(fd.Data)
	if err != nil {
		return SavedFile{}, fmt.Errorf("app: save file: %w", err)
	}
	path, err := c.saver.SavePath(suggestedName(fd.Name))
	if err != nil {
		return SavedFile{}, fmt.Errorf("app: save dialog: %w", err)
	}
	if path == "" {
		return SavedFile{}, nil
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return SavedFile{}, fmt.Errorf("%w: %w", ErrCannotWrite, err)
	}
	c.ses.log.Info("file saved", "size", len(data))
	return SavedFile{Path: path}, nil
}

// suggestedName makes a file name from the sender's (which may hold a path
// or characters a file system refuses) for the Save dialog.
func suggestedName(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, filepath.Base(strings.ReplaceAll(name, `\`, "/")))
	name = strings.Trim(name, " .")
	if name == "" {
		return "file"
	}
	return name
}
