//go:build race

package tree

// raceDetector is true when the race detector is on; the long memory
// tests are skipped then (they test budgets, not concurrency).
const raceDetector = true
