package saltyrtc

import "github.com/kurier/kurier/protocol/cryptobox"

// Message types of §1.4–1.6 and the Relayed Data task (§1.9).
const (
	TypeServerHello   = "server-hello"
	TypeClientHello   = "client-hello"
	TypeClientAuth    = "client-auth"
	TypeServerAuth    = "server-auth"
	TypeNewResponder  = "new-responder"
	TypeNewInitiator  = "new-initiator"
	TypeDropResponder = "drop-responder"
	TypeSendError     = "send-error"
	TypeDisconnected  = "disconnected"
	TypeToken         = "token"
	TypeKey           = "key"
	TypeAuth          = "auth"
	TypeClose         = "close"
	TypeApplication   = "application"
)

// Subprotocol is the WebSocket subprotocol of SaltyRTC v1 (§1.2).
const Subprotocol = "v1.saltyrtc.org"

// SignedKeysSize is the size of server-auth's signed_keys: Box over the server
// session key and the client permanent key, 64 + 16 bytes (§1.4).
const SignedKeysSize = 2*cryptobox.KeySize + cryptobox.Overhead

// SendErrorIDSize is the size of send-error's id: src ‖ dst ‖ overflow ‖ sequence (§1.5).
const SendErrorIDSize = 8

// Message is one decoded SaltyRTC message.
type Message interface {
	// MessageType is the value of the message's `type` field.
	MessageType() string
}

// ServerHello is the server's first, unencrypted message (§1.4).
type ServerHello struct {
	// Key is the server session public key for this connection.
	Key cryptobox.PublicKey
}

// ClientHello is a responder's first, unencrypted message (§1.4).
type ClientHello struct {
	// Key is the responder's permanent public key.
	Key cryptobox.PublicKey
}

// ClientAuth authenticates a client to the server (§1.4).
type ClientAuth struct {
	// YourCookie repeats the server's cookie.
	YourCookie Cookie
	// Subprotocols is the list offered in the WebSocket handshake.
	Subprotocols []string
	// PingInterval asks for WebSocket pings every so many seconds (0 = none, §1.7).
	PingInterval uint32
	// YourKey is the server permanent key the client expects; nil when absent.
	YourKey *cryptobox.PublicKey
}

// ServerAuth completes the client↔server handshake (§1.4).
type ServerAuth struct {
	// YourCookie repeats the client's cookie.
	YourCookie Cookie
	// SignedKeys is Box(server session pk ‖ client permanent pk) under the
	// server permanent key; nil when the server has no permanent key.
	SignedKeys []byte
	// Responders lists the responders on the path (to an initiator only; nil otherwise).
	Responders []Address
	// InitiatorConnected tells a responder whether an initiator is on the path (nil to an initiator).
	InitiatorConnected *bool
}

// NewResponder tells the initiator that a responder joined (§1.5).
type NewResponder struct {
	// ID is the responder's address.
	ID Address
}

// NewInitiator tells responders that a new initiator joined (§1.5).
type NewInitiator struct{}

// DropResponder asks the server to close a responder's connection (§1.5).
type DropResponder struct {
	// ID is the responder's address.
	ID Address
	// Reason is the close code for the responder; 0 when absent (the server uses 3004).
	Reason CloseCode
}

// SendError reports a message the server could not relay (§1.5).
type SendError struct {
	// ID is src ‖ dst ‖ overflow ‖ sequence of the failed message.
	ID [SendErrorIDSize]byte
}

// Disconnected tells a client that a peer left (§1.5).
type Disconnected struct {
	// ID is the address of the peer that left.
	ID Address
}

// Token carries the responder's permanent key, under the auth token (§1.6).
type Token struct {
	// Key is the responder's permanent public key.
	Key cryptobox.PublicKey
}

// Key carries the sender's new session key (§1.6).
type Key struct {
	// Key is the sender's session public key.
	Key cryptobox.PublicKey
}

// Auth completes the peer handshake (§1.6).
type Auth struct {
	// YourCookie repeats the receiver's cookie.
	YourCookie Cookie
	// Tasks is the responder's task list, by preference (nil from the initiator).
	Tasks []string
	// Task is the initiator's chosen task ("" from the responder).
	Task string
	// Data maps task names to their data (a map, or nil).
	Data map[string]map[string]any
}

// Close ends the peer session (§1.6).
type Close struct {
	// Reason is the close code.
	Reason CloseCode
}

// Application carries user data outside any task (§1.6).
type Application struct {
	// Data is any msgpack value.
	Data any
}

// TaskMessage is a message of a type the chosen task declares (§1.8, §1.9).
type TaskMessage struct {
	// Type is the message type.
	Type string
	// Fields are the other fields of the message map.
	Fields map[string]any
}

// MessageType implements Message.
func (ServerHello) MessageType() string { return TypeServerHello }

// MessageType implements Message.
func (ClientHello) MessageType() string { return TypeClientHello }

// MessageType implements Message.
func (ClientAuth) MessageType() string { return TypeClientAuth }

// MessageType implements Message.
func (ServerAuth) MessageType() string { return TypeServerAuth }

// MessageType implements Message.
func (NewResponder) MessageType() string { return TypeNewResponder }

// MessageType implements Message.
func (NewInitiator) MessageType() string { return TypeNewInitiator }

// MessageType implements Message.
func (DropResponder) MessageType() string { return TypeDropResponder }

// MessageType implements Message.
func (SendError) MessageType() string { return TypeSendError }

// MessageType implements Message.
func (Disconnected) MessageType() string { return TypeDisconnected }

// MessageType implements Message.
func (Token) MessageType() string { return TypeToken }

// MessageType implements Message.
func (Key) MessageType() string { return TypeKey }

// MessageType implements Message.
func (Auth) MessageType() string { return TypeAuth }

// MessageType implements Message.
func (Close) MessageType() string { return TypeClose }

// MessageType implements Message.
func (Application) MessageType() string { return TypeApplication }

// MessageType implements Message.
func (m TaskMessage) MessageType() string { return m.Type }
