package control

import (
	"fmt"
	"net/http"

	"github.com/kurier/kurier/phone/store"
)

// Group is a group as the API shows it.
type Group struct {
	// Creator is the creator's identity.
	Creator string `json:"creator"`
	// ID is the creator's group id, 16 hex characters.
	ID string `json:"id"`
	// Conversation is the group's conversation key.
	Conversation string `json:"conversation"`
	// Name is the group's name.
	Name string `json:"name"`
	// Members are the members other than the creator and this phone.
	Members []string `json:"members"`
	// Left is true once this phone left (or was removed from) the group.
	Left bool `json:"left,omitempty"`
}

// groupOf converts a stored group.
func groupOf(g store.Group) Group {
	ms := g.Members
	if ms == nil {
		ms = []string{}
	}
	return Group{Creator: g.Creator, ID: fmt.Sprintf("%016x", g.ID), Conversation: g.Key(), Name: g.Name, Members: ms, Left: g.Left}
}

// handleCreateGroup creates a group with this phone as creator.
func (s *Server) handleCreateGroup(w http.ResponseWriter, r *http.Request) {
	b, err := readBody(r)
	if err != nil {
		writeError(w, err)
		return
	}
	req, err := decodeGroup(b)
	if err != nil {
		writeError(w, err)
		return
	}
	g, err := s.p.CreateGroup(r.Context(), req.Name, req.Members)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, groupOf(g))
}

// handleGroups lists every group the phone knows, left ones included.
func (s *Server) handleGroups(w http.ResponseWriter, r *http.Request) {
	gs, err := s.p.Groups(r.Context())
	if err != nil {
		writeError(w, err)
		return
	}
	out := make([]Group, 0, len(gs))
	for _, g := range gs {
		out = append(out, groupOf(g))
	}
	writeJSON(w, http.StatusOK, out)
}
