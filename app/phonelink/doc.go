// Package phonelink is the desktop's side of the link to the phone: it offers
// a pairing code (the QR payload of protocols.md §2.5), dials the SaltyRTC
// signaling server as the initiator with the WebRTC task, opens the
// THREEMA data channel and speaks the client side of the Threema Web
// protocol on it (connectionInfo first, then requests correlated by id and
// the updates the phone pushes).
package phonelink
