//go:build !unix

package broker

// lockDir is a no-op where flock is unavailable: the listen port still keeps
// two default brokers apart, but two brokers on different ports must not
// share a data directory.
func lockDir(string) (func() error, error) { return func() error { return nil }, nil }
