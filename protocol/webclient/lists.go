package webclient

import "fmt"

// DistributionListCreate is create/distributionList: data {members, name}
// (§2.4); the name is at most 256 bytes.
type DistributionListCreate struct {
	Members []string
	Name    string
}

func (l DistributionListCreate) data() map[string]any {
	return map[string]any{"members": nonNil(l.Members), "name": l.Name}
}

// NewDistributionListCreate builds create/distributionList.
func NewDistributionListCreate(id, temporaryID string, l DistributionListCreate) WireMessage {
	a := set{}
	a.maybeStr("temporaryId", temporaryID)
	return WireMessage{Type: TypeCreate, SubType: SubDistributionList, ID: id, Args: a, Data: l.data()}
}

func decodeListData(m WireMessage) (DistributionListCreate, error) {
	d, err := dataOf(m, true)
	if err != nil {
		return DistributionListCreate{}, err
	}
	l := DistributionListCreate{Members: d.identities("members", true, MaxMembers), Name: d.str("name", false, MaxNameBytes)}
	if d.err != nil {
		return DistributionListCreate{}, d.err
	}
	if len(l.Members) == 0 {
		return DistributionListCreate{}, ErrNoMembers
	}
	return l, nil
}

// DecodeDistributionListCreate decodes create/distributionList.
func DecodeDistributionListCreate(m WireMessage) (DistributionListCreate, error) {
	if err := expect(m, TypeCreate, SubDistributionList); err != nil {
		return DistributionListCreate{}, err
	}
	l, err := decodeListData(m)
	if err != nil {
		return DistributionListCreate{}, fmt.Errorf("webclient: distribution list create: %w", err)
	}
	return l, nil
}

// DistributionListUpdate is update/distributionList: args {id}, data {members, name}.
type DistributionListUpdate struct {
	ID string
	DistributionListCreate
}

// NewDistributionListUpdate builds update/distributionList.
func NewDistributionListUpdate(id, temporaryID string, l DistributionListUpdate) WireMessage {
	a := set{"id": l.ID}
	a.maybeStr("temporaryId", temporaryID)
	return WireMessage{Type: TypeUpdate, SubType: SubDistributionList, ID: id, Args: a, Data: l.data()}
}

// DecodeDistributionListUpdate decodes update/distributionList.
func DecodeDistributionListUpdate(m WireMessage) (DistributionListUpdate, error) {
	if err := expect(m, TypeUpdate, SubDistributionList); err != nil {
		return DistributionListUpdate{}, err
	}
	id, _, err := localIDArg(m, ErrInvalidDistributionList)
	if err != nil {
		return DistributionListUpdate{}, fmt.Errorf("webclient: distribution list update: %w", err)
	}
	l, err := decodeListData(m)
	if err != nil {
		return DistributionListUpdate{}, fmt.Errorf("webclient: distribution list update: %w", err)
	}
	return DistributionListUpdate{ID: id, DistributionListCreate: l}, nil
}

// DistributionListDelete is delete/distributionList: args {id}.
type DistributionListDelete struct {
	ID string
}

// NewDistributionListDelete builds delete/distributionList.
func NewDistributionListDelete(id, temporaryID string, l DistributionListDelete) WireMessage {
	a := set{"id": l.ID}
	a.maybeStr("temporaryId", temporaryID)
	return WireMessage{Type: TypeDelete, SubType: SubDistributionList, ID: id, Args: a}
}

// DecodeDistributionListDelete decodes delete/distributionList.
func DecodeDistributionListDelete(m WireMessage) (DistributionListDelete, error) {
	if err := expect(m, TypeDelete, SubDistributionList); err != nil {
		return DistributionListDelete{}, err
	}
	id, _, err := localIDArg(m, ErrInvalidDistributionList)
	if err != nil {
		return DistributionListDelete{}, fmt.Errorf("webclient: distribution list delete: %w", err)
	}
	return DistributionListDelete{ID: id}, nil
}
