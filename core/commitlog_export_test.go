package core

// EpochAuthenticator is the group's current epoch authenticator, which the commit log tests
// compare with the published entries.
func EpochAuthenticator(g *Group) []byte {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.mls.EpochAuthenticator()
}
