package webclient

// GroupWireID exposes groupWireID to the external tests.
var GroupWireID = groupWireID

// HoldEnded makes srv run hold after each session's end, before it lets go
// of the session (the window in which KeepConnected must not dial yet).
func HoldEnded(srv *Server, hold func()) { srv.beforeEnded = hold }
