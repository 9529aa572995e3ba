package stream

import (
	"os"
	"strings"
)

// DefaultBrokerAddr is the broker used when nothing else is configured.
const DefaultBrokerAddr = "127.0.0.1:9092"

// BrokersEnv names the environment variable that lists the brokers.
const BrokersEnv = "RIVULET_BROKERS"

// DefaultBrokers returns RIVULET_BROKERS or 127.0.0.1:9092.
func DefaultBrokers() string {
	if v := strings.TrimSpace(os.Getenv(BrokersEnv)); v != "" {
		return v
	}
	return DefaultBrokerAddr
}

// SplitBrokers turns "a:1, b:2" into ["a:1" "b:2"]; empty means the default.
func SplitBrokers(s string) []string {
	if strings.TrimSpace(s) == "" {
		s = DefaultBrokers()
	}
	var out []string
	for _, b := range strings.Split(s, ",") {
		if b = strings.TrimSpace(b); b != "" {
			out = append(out, b)
		}
	}
	return out
}
