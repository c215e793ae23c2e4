package webclient

// Type is the envelope's type (§2.2).
type Type string

// The five envelope types of §2.2.
const (
	TypeRequest  Type = "request"
	TypeResponse Type = "response"
	TypeUpdate   Type = "update"
	TypeCreate   Type = "create"
	TypeDelete   Type = "delete"
)

// Valid reports whether t is one of the five types of §2.2.
func (t Type) Valid() bool {
	switch t {
	case TypeRequest, TypeResponse, TypeUpdate, TypeCreate, TypeDelete:
		return true
	}
	return false
}

// SubType is the envelope's subType (§2.4; AND Protocol.java SUB_TYPE_*).
type SubType string

// The subTypes of the §2.4 catalogue.
const (
	SubClientInfo                SubType = "clientInfo"
	SubReceivers                 SubType = "receivers"
	SubReceiver                  SubType = "receiver"
	SubProfile                   SubType = "profile"
	SubBatteryStatus             SubType = "batteryStatus"
	SubConversations             SubType = "conversations"
	SubConversation              SubType = "conversation"
	SubMessages                  SubType = "messages"
	SubMessage                   SubType = "message"
	SubTextMessage               SubType = "textMessage"
	SubFileMessage               SubType = "fileMessage"
	SubAvatar                    SubType = "avatar"
	SubThumbnail                 SubType = "thumbnail"
	SubBlob                      SubType = "blob"
	SubRead                      SubType = "read"
	SubAck                       SubType = "ack"
	SubTyping                    SubType = "typing"
	SubActiveConversation        SubType = "activeConversation"
	SubContact                   SubType = "contact"
	SubContactDetail             SubType = "contactDetail"
	SubGroup                     SubType = "group"
	SubGroupSync                 SubType = "groupSync"
	SubDistributionList          SubType = "distributionList"
	SubCleanReceiverConversation SubType = "cleanReceiverConversation"
	SubAlert                     SubType = "alert"
	// SubConfirmAction is §2.4's update/confirm; the app sends it as
	// "confirmAction" (AND Protocol.java SUB_TYPE_CONFIRM_ACTION), which wins.
	SubConfirmAction SubType = "confirmAction"
	SubKeyPersisted  SubType = "keyPersisted"
	// SubVoipStatus is the Android app's update/voipStatus about calls;
	// Threema Web ignores it, and so does Kurier's desktop.
	SubVoipStatus           SubType = "voipStatus"
	SubConnectionInfo       SubType = "connectionInfo"
	SubConnectionAck        SubType = "connectionAck"
	SubConnectionDisconnect SubType = "connectionDisconnect"
)

// Key identifies a message kind of the catalogue.
type Key struct {
	Type    Type
	SubType SubType
}

// Decoder decodes one typed payload out of a WireMessage; the result is the
// typed value of that message kind (e.g. MessagesRequest).
type Decoder func(WireMessage) (any, error)

// Spec names the decoders that apply to one (type, subType): FromWeb for
// what the web side (the desktop) sends and the app (the phone) receives,
// FromApp for the reverse. A nil decoder means that direction does not
// carry the message.
type Spec struct {
	FromWeb Decoder
	FromApp Decoder
}

// wrap adapts a typed decoder to a Decoder.
func wrap[T any](f func(WireMessage) (T, error)) Decoder {
	return func(m WireMessage) (any, error) { return f(m) }
}

// catalogue is the dispatch table of §2.4: a constant table keyed by (type, subType).
var catalogue = map[Key]Spec{
	{TypeUpdate, SubConnectionInfo}:       {FromWeb: wrap(DecodeConnectionInfo), FromApp: wrap(DecodeConnectionInfo)},
	{TypeRequest, SubConnectionAck}:       {FromWeb: wrap(DecodeConnectionAck), FromApp: wrap(DecodeConnectionAck)},
	{TypeUpdate, SubConnectionAck}:        {FromWeb: wrap(DecodeConnectionAck), FromApp: wrap(DecodeConnectionAck)},
	{TypeUpdate, SubConnectionDisconnect}: {FromWeb: wrap(DecodeConnectionDisconnect), FromApp: wrap(DecodeConnectionDisconnect)},

	{TypeRequest, SubClientInfo}:   {FromWeb: wrap(DecodeClientInfoRequest)},
	{TypeResponse, SubClientInfo}:  {FromApp: wrap(DecodeClientInfo)},
	{TypeRequest, SubKeyPersisted}: {FromWeb: wrap(DecodeEmptyRequest)},

	{TypeRequest, SubReceivers}:  {FromWeb: wrap(DecodeEmptyRequest)},
	{TypeResponse, SubReceivers}: {FromApp: wrap(DecodeReceivers)},
	{TypeUpdate, SubReceiver}:    {FromApp: wrap(DecodeReceiverUpdate)},
	{TypeUpdate, SubReceivers}:   {FromApp: wrap(DecodeReceiversUpdate)},

	{TypeRequest, SubConversations}:  {FromWeb: wrap(DecodeConversationsRequest)},
	{TypeResponse, SubConversations}: {FromApp: wrap(DecodeConversations)},
	{TypeUpdate, SubConversation}:    {FromWeb: wrap(DecodeConversationModify), FromApp: wrap(DecodeConversationUpdate)},

	{TypeRequest, SubMessages}:  {FromWeb: wrap(DecodeMessagesRequest)},
	{TypeResponse, SubMessages}: {FromApp: wrap(DecodeMessagesResponse)},
	{TypeUpdate, SubMessages}:   {FromApp: wrap(DecodeMessagesUpdate)},
	{TypeDelete, SubMessage}:    {FromWeb: wrap(DecodeDeleteMessage)},

	{TypeCreate, SubTextMessage}: {FromWeb: wrap(DecodeTextMessageCreate), FromApp: wrap(DecodeMessageCreated)},
	{TypeCreate, SubFileMessage}: {FromWeb: wrap(DecodeFileMessageCreate), FromApp: wrap(DecodeMessageCreated)},

	{TypeRequest, SubAvatar}:     {FromWeb: wrap(DecodeAvatarRequest)},
	{TypeResponse, SubAvatar}:    {FromApp: wrap(DecodeAvatarResponse)},
	{TypeUpdate, SubAvatar}:      {FromApp: wrap(DecodeAvatarUpdate)},
	{TypeRequest, SubThumbnail}:  {FromWeb: wrap(DecodeMessageRef)},
	{TypeResponse, SubThumbnail}: {FromApp: wrap(DecodeThumbnailResponse)},
	{TypeRequest, SubBlob}:       {FromWeb: wrap(DecodeMessageRef)},
	{TypeResponse, SubBlob}:      {FromApp: wrap(DecodeBlobResponse)},

	{TypeRequest, SubRead}:                     {FromWeb: wrap(DecodeMessageRef)},
	{TypeRequest, SubAck}:                      {FromWeb: wrap(DecodeAckRequest)},
	{TypeRequest, SubReaction}:                 {FromWeb: wrap(DecodeReactionRequest)},
	{TypeResponse, SubReaction}:                {FromApp: wrap(DecodeReactionResult)},
	{TypeRequest, SubEditMessage}:              {FromWeb: wrap(DecodeEditRequest)},
	{TypeResponse, SubEditMessage}:             {FromApp: wrap(DecodeEditResult)},
	{TypeRequest, SubDeleteForEveryone}:        {FromWeb: wrap(DecodeDeleteForEveryoneRequest)},
	{TypeResponse, SubDeleteForEveryone}:       {FromApp: wrap(DecodeEditResult)},
	{TypeUpdate, SubTyping}:                    {FromWeb: wrap(DecodeTyping), FromApp: wrap(DecodeTyping)},
	{TypeUpdate, SubActiveConversation}:        {FromWeb: wrap(DecodeActiveConversation)},
	{TypeDelete, SubCleanReceiverConversation}: {FromWeb: wrap(DecodeCleanReceiverConversation), FromApp: wrap(DecodeResult)},

	{TypeRequest, SubProfile}:  {FromWeb: wrap(DecodeEmptyRequest)},
	{TypeResponse, SubProfile}: {FromApp: wrap(DecodeProfile)},
	{TypeUpdate, SubProfile}:   {FromWeb: wrap(DecodeProfileUpdate), FromApp: wrap(DecodeProfile)},

	{TypeCreate, SubContact}:        {FromWeb: wrap(DecodeContactCreate), FromApp: wrap(DecodeContactResult)},
	{TypeUpdate, SubContact}:        {FromWeb: wrap(DecodeContactUpdate), FromApp: wrap(DecodeContactResult)},
	{TypeRequest, SubContactDetail}: {FromWeb: wrap(DecodeContactDetailRequest)},

	{TypeCreate, SubGroup}:      {FromWeb: wrap(DecodeGroupCreate), FromApp: wrap(DecodeGroupResult)},
	{TypeUpdate, SubGroup}:      {FromWeb: wrap(DecodeGroupUpdate), FromApp: wrap(DecodeGroupResult)},
	{TypeDelete, SubGroup}:      {FromWeb: wrap(DecodeGroupDelete), FromApp: wrap(DecodeResult)},
	{TypeRequest, SubGroupSync}: {FromWeb: wrap(DecodeGroupSync)},

	{TypeCreate, SubDistributionList}: {FromWeb: wrap(DecodeDistributionListCreate), FromApp: wrap(DecodeDistributionListResult)},
	{TypeUpdate, SubDistributionList}: {FromWeb: wrap(DecodeDistributionListUpdate), FromApp: wrap(DecodeDistributionListResult)},
	{TypeDelete, SubDistributionList}: {FromWeb: wrap(DecodeDistributionListDelete), FromApp: wrap(DecodeResult)},

	{TypeRequest, SubBatteryStatus}:  {FromWeb: wrap(DecodeEmptyRequest)},
	{TypeUpdate, SubBatteryStatus}:   {FromApp: wrap(DecodeBatteryStatus)},
	{TypeUpdate, SubAlert}:           {FromApp: wrap(DecodeAlert)},
	{TypeUpdate, SubConfirmAction}:   {FromApp: wrap(DecodeConfirmAction)},
	{TypeResponse, SubConfirmAction}: {FromApp: wrap(DecodeResult)},
	{TypeResponse, SubContactDetail}: {FromApp: wrap(DecodeResultOnly)},
	{TypeUpdate, SubVoipStatus}:      {FromApp: wrap(DecodeIgnored)},
}

// Lookup returns the decoders for a (type, subType), or ErrUnknownMessage
// for a pair outside the §2.4 catalogue.
func Lookup(t Type, st SubType) (Spec, error) {
	s, ok := catalogue[Key{t, st}]
	if !ok {
		return Spec{}, ErrUnknownMessage
	}
	return s, nil
}

// DecodeFromWeb decodes a message the web side sent (the phone's dispatcher).
func DecodeFromWeb(m WireMessage) (any, error) {
	s, err := Lookup(m.Type, m.SubType)
	if err != nil || s.FromWeb == nil {
		return nil, ErrUnknownMessage
	}
	return s.FromWeb(m)
}

// DecodeFromApp decodes a message the app sent (the desktop's dispatcher).
func DecodeFromApp(m WireMessage) (any, error) {
	s, err := Lookup(m.Type, m.SubType)
	if err != nil || s.FromApp == nil {
		return nil, ErrUnknownMessage
	}
	return s.FromApp(m)
}

// Keys lists the catalogue's (type, subType) pairs, for tests and documentation.
func Keys() []Key {
	out := make([]Key, 0, len(catalogue))
	for k := range catalogue {
		out = append(out, k)
	}
	return out
}
