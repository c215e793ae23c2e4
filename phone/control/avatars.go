package control

import (
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/kurier/kurier/phone"
	"github.com/kurier/kurier/phone/store"
)

// registerAvatars adds the avatar routes: the own profile picture, a
// contact's profile picture and the photo of a group.
func (s *Server) registerAvatars() {
	s.mux.HandleFunc("GET /v1/profile/avatar", s.handleGetAvatar(func(*http.Request) (string, error) { return store.OwnAvatarKey, nil }))
	s.mux.HandleFunc("PUT /v1/profile/avatar", s.handleSetProfileAvatar)
	s.mux.HandleFunc("DELETE /v1/profile/avatar", s.handleDeleteProfileAvatar)
	s.mux.HandleFunc("GET /v1/contacts/{id}/avatar", s.handleGetAvatar(func(r *http.Request) (string, error) {
		return store.ContactKey(r.PathValue("id")), nil
	}))
	s.mux.HandleFunc("GET /v1/groups/{creator}/{id}/avatar", s.handleGetAvatar(func(r *http.Request) (string, error) {
		id, err := parseGroupID(r.PathValue("id"))
		return store.GroupKey(r.PathValue("creator"), id), err
	}))
	s.mux.HandleFunc("PUT /v1/groups/{id}/avatar", s.handleSetGroupAvatar)
	s.mux.HandleFunc("DELETE /v1/groups/{id}/avatar", s.handleDeleteGroupAvatar)
}

// readImage reads an image body of at most phone.AvatarMaxBytes bytes; a
// longer one is phone.ErrTooLarge (413) without reading it all.
func readImage(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, phone.AvatarMaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: body", ErrBadRequest)
	}
	if len(b) > phone.AvatarMaxBytes {
		return nil, fmt.Errorf("%w: image of more than %d bytes", phone.ErrTooLarge, phone.AvatarMaxBytes)
	}
	return b, nil
}

// writeImage answers with a stored avatar (JPEG).
func writeImage(w http.ResponseWriter, status int, img []byte) {
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Content-Length", strconv.Itoa(len(img)))
	w.WriteHeader(status)
	_, _ = w.Write(img)
}

// handleGetAvatar answers with the avatar of the key that keyOf reads from
// the request: image/jpeg, or 404 when there is none.
func (s *Server) handleGetAvatar(keyOf func(*http.Request) (string, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key, err := keyOf(r)
		if err != nil {
			writeError(w, err)
			return
		}
		img, err := s.p.Avatar(r.Context(), key)
		if err != nil {
			writeError(w, err)
			return
		}
		writeImage(w, http.StatusOK, img)
	}
}

// handleSetProfileAvatar sets the own profile picture from a JPEG or PNG
// body and answers with the stored JPEG.
func (s *Server) handleSetProfileAvatar(w http.ResponseWriter, r *http.Request) {
	b, err := readImage(r)
	if err == nil {
		var img []byte
		if img, err = s.p.SetProfilePicture(r.Context(), b); err == nil {
			writeImage(w, http.StatusOK, img)
			return
		}
	}
	writeError(w, err)
}

// handleDeleteProfileAvatar removes the own profile picture.
func (s *Server) handleDeleteProfileAvatar(w http.ResponseWriter, r *http.Request) {
	if err := s.p.DeleteProfilePicture(r.Context()); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleSetGroupAvatar sets the photo of a group this phone created.
func (s *Server) handleSetGroupAvatar(w http.ResponseWriter, r *http.Request) {
	id, err := parseGroupID(r.PathValue("id"))
	if err == nil {
		var b, img []byte
		if b, err = readImage(r); err == nil {
			if img, err = s.p.SetGroupPhoto(r.Context(), id, b); err == nil {
				writeImage(w, http.StatusOK, img)
				return
			}
		}
	}
	writeError(w, err)
}

// handleDeleteGroupAvatar removes the photo of a group this phone created.
func (s *Server) handleDeleteGroupAvatar(w http.ResponseWriter, r *http.Request) {
	id, err := parseGroupID(r.PathValue("id"))
	if err == nil {
		err = s.p.DeleteGroupPhoto(r.Context(), id)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
