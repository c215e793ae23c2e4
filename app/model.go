package app

// The types below are what the UI sees of the phone's data. They are
// mirrored in frontend/src/bridge/types.ts; app/bindings_sync_test.go keeps
// the JSON field names in step. Times are Unix milliseconds.

// Receiver types.
const (
	ReceiverContact          = "contact"
	ReceiverGroup            = "group"
	ReceiverDistributionList = "distributionList"
)

// ReceiverTypes lists every receiver type.
func ReceiverTypes() []string {
	return []string{ReceiverContact, ReceiverGroup, ReceiverDistributionList}
}

// Receiver names a conversation partner: a contact, a group or a list.
type Receiver struct {
	// Type is "contact", "group" or "distributionList".
	Type string `json:"type"`
	// ID is the contact's Threema ID or the group's or list's id.
	ID string `json:"id"`
}

// Contact is one of the phone's contacts.
type Contact struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	Nickname          string `json:"nickname"`
	FirstName         string `json:"firstName"`
	LastName          string `json:"lastName"`
	VerificationLevel int    `json:"verificationLevel"`
	// PublicKey is the contact's public key in hex.
	PublicKey string `json:"publicKey"`
	// Fingerprint is the key fingerprint in groups of four hex digits.
	Fingerprint string `json:"fingerprint"`
	// State is "ACTIVE", "INACTIVE" or "INVALID" (revoked).
	State   string `json:"state"`
	Blocked bool   `json:"blocked"`
	Color   string `json:"color"`
}

// Group is a group the user belongs (or belonged) to.
type Group struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"`
	Members       []string `json:"members"`
	Administrator string   `json:"administrator"`
	// Left is true once the user left the group or was removed.
	Left  bool   `json:"left"`
	Color string `json:"color"`
}

// DistributionList sends one message to each member separately.
type DistributionList struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Members []string `json:"members"`
	Color   string   `json:"color"`
}

// Receivers is every contact, group and distribution list.
type Receivers struct {
	Contacts          []Contact          `json:"contacts"`
	Groups            []Group            `json:"groups"`
	DistributionLists []DistributionList `json:"distributionLists"`
}

// Quote is the message a message answers.
type Quote struct {
	Identity  string `json:"identity"`
	Text      string `json:"text"`
	MessageID string `json:"messageId"`
}

// FileInfo describes a file or image message's file.
type FileInfo struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
	Mime string `json:"mime"`
	// Thumbnail is true when ChatService.Thumbnail can return a preview.
	Thumbnail bool `json:"thumbnail"`
	Width     int  `json:"width"`
	Height    int  `json:"height"`
	// Duration is an audio message's length in seconds as the sender
	// stated it (0: unknown).
	Duration int `json:"duration"`
}

// Location is a location message's position.
type Location struct {
	Lat         float64 `json:"lat"`
	Lon         float64 `json:"lon"`
	Description string  `json:"description"`
}

// Message is one message of a conversation.
type Message struct {
	ID       string   `json:"id"`
	Receiver Receiver `json:"receiver"`
	// Type is a Threema Web message type: "text", "image", "file",
	// "location", "status", ...
	Type     string `json:"type"`
	Outgoing bool   `json:"outgoing"`
	// Sender is the author's Threema ID (the user's own for outgoing ones).
	Sender string `json:"sender"`
	// Text is the body of a text message or the caption of a file.
	Text    string `json:"text"`
	Date    int64  `json:"date"`
	SortKey int64  `json:"sortKey"`
	// State is "pending", "sending", "send-failed", "sent", "delivered",
	// "read", "user-ack", "user-dec" or "consumed".
	State    string    `json:"state"`
	Unread   bool      `json:"unread"`
	Quote    *Quote    `json:"quote"`
	File     *FileInfo `json:"file"`
	Location *Location `json:"location"`
	// Reactions are the message's emoji reactions, the newest first.
	Reactions []Reaction `json:"reactions"`
	// Edited is when the message was last edited (ms), 0 if never.
	Edited int64 `json:"edited"`
	// Sent, Delivered and Read are when the message was sent, delivered
	// and read (ms), from the events the phone reports; 0 when unknown.
	Sent      int64 `json:"sent"`
	Delivered int64 `json:"delivered"`
	Read      int64 `json:"read"`
}

// Reaction is one emoji on a message and who reacted with it (the user's
// own identity included), the newest first.
type Reaction struct {
	Emoji      string   `json:"emoji"`
	Identities []string `json:"identities"`
}

// Conversation is one entry of the conversation list.
type Conversation struct {
	Receiver Receiver `json:"receiver"`
	Name     string   `json:"name"`
	Color    string   `json:"color"`
	// Avatar is a data: URL, or empty.
	Avatar       string   `json:"avatar"`
	UnreadCount  int      `json:"unreadCount"`
	Pinned       bool     `json:"pinned"`
	Muted        bool     `json:"muted"`
	LastMessage  *Message `json:"lastMessage"`
	LastActivity int64    `json:"lastActivity"`
}

// MessagePage is a page of a conversation's messages, oldest first.
type MessagePage struct {
	Messages []Message `json:"messages"`
	// More is true when older messages exist.
	More bool `json:"more"`
}

// Profile is the user's own identity as the phone reports it.
type Profile struct {
	Identity    string `json:"identity"`
	Nickname    string `json:"nickname"`
	PublicKey   string `json:"publicKey"`
	Fingerprint string `json:"fingerprint"`
	// Avatar is the profile picture as a data: URL, or empty.
	Avatar string `json:"avatar"`
}

// Limits are the sizes the phone accepts; the UI checks them before sending.
type Limits struct {
	MaxTextBytes int   `json:"maxTextBytes"`
	MaxFileBytes int64 `json:"maxFileBytes"`
	// AnyReaction is true when the phone takes any emoji as a reaction
	// (Kurier's request/reaction); otherwise only 👍 and 👎, which
	// request/ack toggles, as on Threema Web.
	AnyReaction bool `json:"anyReaction"`
	// CanEdit is true when the phone edits and deletes the user's own
	// messages for everyone (Kurier's capabilities.kurierEdits).
	CanEdit bool `json:"canEdit"`
}

// FileUpload is a file the user sends; Data is base64.
type FileUpload struct {
	Name    string `json:"name"`
	Mime    string `json:"mime"`
	Data    string `json:"data"`
	Caption string `json:"caption"`
	// SendAsFile sends an image (or audio) as a plain file: Threema's file
	// message with the rendering type "file" instead of "media", so the
	// receiver shows a file to download, not an image (or a voice
	// message). The bytes are sent as they are either way.
	SendAsFile bool `json:"sendAsFile"`
	// Duration is a recording's length in seconds (0: not known); the
	// receiver's app shows it before the audio is downloaded.
	Duration float64 `json:"duration,omitempty"`
}

// FileData is a downloaded file; Data is base64.
type FileData struct {
	Name string `json:"name"`
	Mime string `json:"mime"`
	Data string `json:"data"`
}

// SearchHit is one message that matches a search.
type SearchHit struct {
	Message Message `json:"message"`
	// Name is the conversation's display name.
	Name string `json:"name"`
	// Snippet is the matching text with the hits between « and ».
	Snippet string `json:"snippet"`
}

// PairingOptions are chosen before the pairing code is shown.
type PairingOptions struct {
	// Remember stores the session encrypted with Password.
	Remember bool   `json:"remember"`
	Password string `json:"password"`
}

// Notification is a desktop notification the UI asks for.
type Notification struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// MessagesEvent carries new, changed and removed messages of a conversation.
type MessagesEvent struct {
	Receiver Receiver  `json:"receiver"`
	Messages []Message `json:"messages"`
	Removed  []string  `json:"removed"`
	// Incoming is true when Messages holds newly received messages.
	Incoming bool `json:"incoming"`
}

// ConversationsEvent carries changed conversations; Replace means the list
// is complete and replaces the UI's.
type ConversationsEvent struct {
	Conversations []Conversation `json:"conversations"`
	Replace       bool           `json:"replace"`
}

// TypingEvent says whether a contact is typing.
type TypingEvent struct {
	Receiver Receiver `json:"receiver"`
	Typing   bool     `json:"typing"`
}
