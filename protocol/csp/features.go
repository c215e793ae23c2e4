package csp

// Feature mask bits: what an identity's app can handle, announced in the
// directory (identity/set_featuremask) and read from it with every identity
// (shared/protocols.md §3.6; Android ThreemaFeature, which takes its values
// from the protobuf enum common.CspFeatureMaskFlag that threema-desktop's
// generated protobuf code also carries). A sender checks the peer's mask
// before it sends a message the peer could not show.
const (
	// FeatureVoiceMessage (0x01): voice messages.
	FeatureVoiceMessage uint64 = 0x01
	// FeatureGroups (0x02): groups.
	FeatureGroups uint64 = 0x02
	// FeaturePolls (0x04): polls.
	FeaturePolls uint64 = 0x04
	// FeatureFile (0x08): file messages (0x17/0x46).
	FeatureFile uint64 = 0x08
	// FeatureAudioCall (0x10): 1:1 audio calls.
	FeatureAudioCall uint64 = 0x10
	// FeatureVideoCall (0x20): 1:1 video calls.
	FeatureVideoCall uint64 = 0x20
	// FeatureForwardSecurity (0x40): the forward-security envelope (0xa0).
	FeatureForwardSecurity uint64 = 0x40
	// FeatureGroupCall (0x80): group calls.
	FeatureGroupCall uint64 = 0x80
	// FeatureEditMessage (0x100): edit messages (0x91/0x93).
	FeatureEditMessage uint64 = 0x100
	// FeatureDeleteMessage (0x200): delete messages (0x92/0x94).
	FeatureDeleteMessage uint64 = 0x200
	// FeatureReactions (0x400, REACTION_SUPPORT): emoji reactions
	// (0x82/0x83). A peer without it gets the legacy delivery receipt
	// (status 3 or 4) for a thumbs up or down and nothing for any other
	// reaction or for a withdrawal (see e2e.Reaction.LegacyStatus).
	FeatureReactions uint64 = 0x400
)
