package webclient

import "fmt"

// GroupCreate is create/group: data {members: [ids], name?, avatar?} (§2.4;
// AND CreateGroupHandler.java). The name is at most 256 bytes.
type GroupCreate struct {
	Members []string
	Name    string
	Avatar  []byte
}

func (g GroupCreate) data() map[string]any {
	d := set{"members": nonNil(g.Members)}
	d.maybeStr("name", g.Name)
	d.maybeBin("avatar", g.Avatar)
	return d
}

// NewGroupCreate builds create/group; temporaryID (may be empty) is the
// legacy correlation the app echoes.
func NewGroupCreate(id, temporaryID string, g GroupCreate) WireMessage {
	a := set{}
	a.maybeStr("temporaryId", temporaryID)
	return WireMessage{Type: TypeCreate, SubType: SubGroup, ID: id, Args: a, Data: g.data()}
}

func decodeGroupData(m WireMessage) (GroupCreate, error) {
	d, err := dataOf(m, true)
	if err != nil {
		return GroupCreate{}, err
	}
	g := GroupCreate{Members: d.identities("members", true, MaxMembers), Name: d.str("name", false, MaxNameBytes),
		Avatar: d.bin("avatar", false, MaxAvatarBytes)}
	if d.err != nil {
		return GroupCreate{}, d.err
	}
	return g, nil
}

// DecodeGroupCreate decodes create/group.
func DecodeGroupCreate(m WireMessage) (GroupCreate, error) {
	if err := expect(m, TypeCreate, SubGroup); err != nil {
		return GroupCreate{}, err
	}
	g, err := decodeGroupData(m)
	if err != nil {
		return GroupCreate{}, fmt.Errorf("webclient: group create: %w", err)
	}
	if len(g.Members) == 0 {
		return GroupCreate{}, fmt.Errorf("webclient: group create: %w", ErrNoMembers)
	}
	return g, nil
}

// localIDArg reads args.id as a group or list id.
func localIDArg(m WireMessage, what error) (string, *obj, error) {
	a, err := argsOf(m, true)
	if err != nil {
		return "", nil, err
	}
	id := a.str("id", true, maxReceiverIDLen)
	if a.err != nil {
		return "", nil, a.err
	}
	if !validLocalID(id) {
		return "", nil, fmt.Errorf("%w: args.id", what)
	}
	return id, a, nil
}

// GroupUpdate is update/group: args {id}, data {members, name?, avatar?}.
type GroupUpdate struct {
	ID string
	GroupCreate
}

// NewGroupUpdate builds update/group.
func NewGroupUpdate(id, temporaryID string, g GroupUpdate) WireMessage {
	a := set{"id": g.ID}
	a.maybeStr("temporaryId", temporaryID)
	return WireMessage{Type: TypeUpdate, SubType: SubGroup, ID: id, Args: a, Data: g.data()}
}

// DecodeGroupUpdate decodes update/group.
func DecodeGroupUpdate(m WireMessage) (GroupUpdate, error) {
	if err := expect(m, TypeUpdate, SubGroup); err != nil {
		return GroupUpdate{}, err
	}
	id, _, err := localIDArg(m, ErrInvalidGroup)
	if err != nil {
		return GroupUpdate{}, fmt.Errorf("webclient: group update: %w", err)
	}
	g, err := decodeGroupData(m)
	if err != nil {
		return GroupUpdate{}, fmt.Errorf("webclient: group update: %w", err)
	}
	return GroupUpdate{ID: id, GroupCreate: g}, nil
}

// DeleteType is args.deleteType of delete/group.
type DeleteType string

// The delete types of §2.4: leave the group, or delete it locally (after leaving).
const (
	DeleteLeave  DeleteType = "leave"
	DeleteDelete DeleteType = "delete"
)

// GroupDelete is delete/group: args {id, deleteType}.
type GroupDelete struct {
	ID         string
	DeleteType DeleteType
}

// NewGroupDelete builds delete/group.
func NewGroupDelete(id, temporaryID string, g GroupDelete) WireMessage {
	a := set{"id": g.ID, "deleteType": string(g.DeleteType)}
	a.maybeStr("temporaryId", temporaryID)
	return WireMessage{Type: TypeDelete, SubType: SubGroup, ID: id, Args: a}
}

// DecodeGroupDelete decodes delete/group.
func DecodeGroupDelete(m WireMessage) (GroupDelete, error) {
	if err := expect(m, TypeDelete, SubGroup); err != nil {
		return GroupDelete{}, err
	}
	id, a, err := localIDArg(m, ErrInvalidGroup)
	if err != nil {
		return GroupDelete{}, fmt.Errorf("webclient: group delete: %w", err)
	}
	g := GroupDelete{ID: id, DeleteType: DeleteType(a.oneOf("deleteType", true, "leave", "delete"))}
	if a.err != nil {
		return GroupDelete{}, fmt.Errorf("webclient: group delete: %w", a.err)
	}
	return g, nil
}

// GroupSync is request/groupSync: args {id}.
type GroupSync struct {
	ID string
}

// NewGroupSync builds request/groupSync.
func NewGroupSync(id string, g GroupSync) WireMessage {
	return WireMessage{Type: TypeRequest, SubType: SubGroupSync, ID: id, Args: map[string]any{"id": g.ID}}
}

// DecodeGroupSync decodes request/groupSync.
func DecodeGroupSync(m WireMessage) (GroupSync, error) {
	if err := expect(m, TypeRequest, SubGroupSync); err != nil {
		return GroupSync{}, err
	}
	id, _, err := localIDArg(m, ErrInvalidGroup)
	if err != nil {
		return GroupSync{}, fmt.Errorf("webclient: group sync: %w", err)
	}
	return GroupSync{ID: id}, nil
}
