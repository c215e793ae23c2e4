// Package bot holds the virtual phone's bots, which the demo world and the
// tests talk to: Echo answers every incoming text and file with the same
// content, in the same conversation (1:1 or group); Chatty marks every 1:1
// text read and answers it after a typing indicator, and answers group
// texts in the group. Bots answer people: IgnoreBots names the other bots,
// so that bots sharing a group do not answer each other without end.
package bot
