package main

import (
	"encoding/json"
	"flag"
	"os"

	"github.com/rivulet-ml/rivulet/lib/stream"
)

// brokersFlag adds --brokers with the RIVULET_BROKERS default.
func brokersFlag(fs *flag.FlagSet) *string {
	return fs.String("brokers", stream.DefaultBrokers(), "comma-separated Kafka brokers (env RIVULET_BROKERS)")
}

// printJSON writes v as one JSON document on stdout: the last output of a
// command run with --json.
func printJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
