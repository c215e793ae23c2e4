package webclient

import (
	"fmt"
	"math"
)

// ClientInfoRequest is request/clientInfo: data {userAgent, browserName?,
// browserVersion?} (§2.4). Every field is informative, so all are optional;
// Threema Web sends browserVersion as a number (§2.3a), which BrowserVersion
// holds in decimal.
type ClientInfoRequest struct {
	UserAgent      string
	BrowserName    string
	BrowserVersion string
}

// NewClientInfoRequest builds request/clientInfo with the correlation id (may be empty).
func NewClientInfoRequest(id string, r ClientInfoRequest) WireMessage {
	d := set{"userAgent": r.UserAgent}
	d.maybeStr("browserName", r.BrowserName)
	d.maybeStr("browserVersion", r.BrowserVersion)
	return WireMessage{Type: TypeRequest, SubType: SubClientInfo, ID: id, Data: map[string]any(d)}
}

// DecodeClientInfoRequest decodes request/clientInfo.
func DecodeClientInfoRequest(m WireMessage) (ClientInfoRequest, error) {
	if err := expect(m, TypeRequest, SubClientInfo); err != nil {
		return ClientInfoRequest{}, err
	}
	if _, isMap := m.Data.(map[string]any); !isMap && m.Data != nil {
		m.notes.add("data is not a map: ignored")
		return ClientInfoRequest{}, nil
	}
	d, err := dataOf(m, false)
	if err != nil {
		return ClientInfoRequest{}, err
	}
	r := ClientInfoRequest{
		UserAgent:      d.text("userAgent", 1024),
		BrowserName:    d.text("browserName", 64),
		BrowserVersion: d.text("browserVersion", 64),
	}
	if d.err != nil {
		return ClientInfoRequest{}, fmt.Errorf("webclient: clientInfo request: %w", d.err)
	}
	return r, nil
}

// AppConfig is clientInfo.configuration. The Android app sends each flag
// only when it differs from Threema Web's default (voipEnabled true,
// voipForceTurn false, largeSingleEmoji true, showInactiveIDs true), so an
// absent flag takes that default.
type AppConfig struct {
	VoipEnabled      bool
	VoipForceTurn    bool
	LargeSingleEmoji bool
	ShowInactiveIDs  bool
}

// ImageFormat names the MIME types of avatars and thumbnails.
type ImageFormat struct {
	Avatar    string
	Thumbnail string
}

// MDMRestrictions are the optional capabilities.mdm flags (WEB threema.d.ts MdmRestrictions).
type MDMRestrictions struct {
	DisableAddContact     bool
	DisableCreateGroup    bool
	DisableSaveToGallery  bool
	DisableExport         bool
	DisableMessagePreview bool
	DisableCalls          bool
	ReadonlyProfile       bool
}

// AppCapabilities is clientInfo.capabilities.
type AppCapabilities struct {
	MaxGroupSize       uint32
	MaxFileSize        uint64
	MaxMessageBodySize uint32 // 0: not sent (the Android app never sends it; Threema Web then assumes 3500)
	DistributionLists  bool
	// QuotesV2: the app resolves quote.messageId (Threema Web sends it then).
	QuotesV2       bool
	ImageFormat    ImageFormat
	GroupReactions bool
	EmojiReactions bool
	// KurierReactions: the app takes Kurier's request/reaction (any emoji,
	// explicit withdrawal). Sent only when true; not a Threema capability.
	KurierReactions bool
	// KurierEdits: the app takes Kurier's request/editMessage and
	// request/deleteMessageForEveryone for the user's own messages. Sent
	// only when true; not a Threema capability.
	KurierEdits bool
	MDM         *MDMRestrictions
}

// ClientInfo is response/clientInfo (§2.4; WEB threema.d.ts ClientInfo).
type ClientInfo struct {
	Device        string
	OS            string // "android" or "ios"
	OSVersion     string
	AppVersion    string // optional
	IsWork        bool
	PushToken     string
	Configuration AppConfig
	Capabilities  AppCapabilities
}

var mdmKeys = [...]string{"disableAddContact", "disableCreateGroup", "disableSaveToGallery",
	"disableExport", "disableMessagePreview", "disableCalls", "readonlyProfile"}

func (r *MDMRestrictions) flags() [len(mdmKeys)]*bool {
	return [...]*bool{&r.DisableAddContact, &r.DisableCreateGroup, &r.DisableSaveToGallery,
		&r.DisableExport, &r.DisableMessagePreview, &r.DisableCalls, &r.ReadonlyProfile}
}

// NewClientInfo builds response/clientInfo answering req.
func NewClientInfo(req WireMessage, ci ClientInfo) WireMessage {
	c := ci.Capabilities
	caps := set{
		"maxGroupSize":      c.MaxGroupSize,
		"maxFileSize":       c.MaxFileSize,
		"distributionLists": c.DistributionLists,
		"imageFormat":       map[string]any{"avatar": c.ImageFormat.Avatar, "thumbnail": c.ImageFormat.Thumbnail},
		"groupReactions":    c.GroupReactions,
		"emojiReactions":    c.EmojiReactions,
	}
	caps.maybeTrue("quotesV2", c.QuotesV2)
	caps.maybeTrue("kurierReactions", c.KurierReactions)
	caps.maybeTrue("kurierEdits", c.KurierEdits)
	if c.MaxMessageBodySize != 0 {
		caps["maxMessageBodySize"] = c.MaxMessageBodySize
	}
	if c.MDM != nil {
		mdm := set{}
		for i, f := range c.MDM.flags() {
			mdm.maybeTrue(mdmKeys[i], *f)
		}
		caps["mdm"] = map[string]any(mdm)
	}
	d := set{
		"device":    ci.Device,
		"os":        ci.OS,
		"osVersion": ci.OSVersion,
		"isWork":    ci.IsWork,
		"configuration": map[string]any{
			"voipEnabled":      ci.Configuration.VoipEnabled,
			"voipForceTurn":    ci.Configuration.VoipForceTurn,
			"largeSingleEmoji": ci.Configuration.LargeSingleEmoji,
			"showInactiveIDs":  ci.Configuration.ShowInactiveIDs,
		},
		"capabilities": map[string]any(caps),
	}
	d.maybeStr("pushToken", ci.PushToken)
	d.maybeStr("appVersion", ci.AppVersion)
	return Reply(req, TypeResponse, SubClientInfo, nil, map[string]any(d), nil)
}

// DecodeClientInfo decodes response/clientInfo.
func DecodeClientInfo(m WireMessage) (ClientInfo, error) {
	if err := expect(m, TypeResponse, SubClientInfo); err != nil {
		return ClientInfo{}, err
	}
	d, err := dataOf(m, true)
	if err != nil {
		return ClientInfo{}, err
	}
	ci := ClientInfo{
		Device:     d.str("device", true, 256),
		OS:         d.oneOf("os", true, "android", "ios"),
		OSVersion:  d.str("osVersion", true, 64),
		AppVersion: d.text("appVersion", 64),
		IsWork:     d.boolean("isWork", false),
		PushToken:  d.str("pushToken", false, 4096),
	}
	if c := d.sub("configuration", true); c != nil {
		flag := func(key string, def bool) bool {
			if !c.has(key) {
				return def
			}
			return c.boolean(key, false)
		}
		ci.Configuration = AppConfig{
			VoipEnabled:      flag("voipEnabled", true),
			VoipForceTurn:    flag("voipForceTurn", false),
			LargeSingleEmoji: flag("largeSingleEmoji", true),
			ShowInactiveIDs:  flag("showInactiveIDs", true),
		}
		if c.err != nil {
			return ClientInfo{}, fmt.Errorf("webclient: clientInfo: %w", c.err)
		}
	}
	if c := d.sub("capabilities", true); c != nil {
		caps := AppCapabilities{
			MaxGroupSize:       uint32(c.uint("maxGroupSize", true, math.MaxUint32)),
			MaxFileSize:        c.uint("maxFileSize", true, math.MaxInt64),
			MaxMessageBodySize: uint32(c.uint("maxMessageBodySize", false, math.MaxUint32)),
			DistributionLists:  c.boolean("distributionLists", true),
			GroupReactions:     c.boolean("groupReactions", false),
			EmojiReactions:     c.boolean("emojiReactions", false),
			QuotesV2:           c.boolean("quotesV2", false),
			KurierReactions:    c.boolean("kurierReactions", false),
			KurierEdits:        c.boolean("kurierEdits", false),
		}
		if f := c.sub("imageFormat", true); f != nil {
			caps.ImageFormat = ImageFormat{Avatar: f.str("avatar", true, 128), Thumbnail: f.str("thumbnail", true, 128)}
			if f.err != nil {
				return ClientInfo{}, fmt.Errorf("webclient: clientInfo: %w", f.err)
			}
		}
		if md := c.sub("mdm", false); md != nil {
			caps.MDM = &MDMRestrictions{}
			for i, f := range caps.MDM.flags() {
				*f = md.boolean(mdmKeys[i], false)
			}
			if md.err != nil {
				return ClientInfo{}, fmt.Errorf("webclient: clientInfo: %w", md.err)
			}
		}
		if c.err != nil {
			return ClientInfo{}, fmt.Errorf("webclient: clientInfo: %w", c.err)
		}
		ci.Capabilities = caps
	}
	if d.err != nil {
		return ClientInfo{}, fmt.Errorf("webclient: clientInfo: %w", d.err)
	}
	return ci, nil
}
