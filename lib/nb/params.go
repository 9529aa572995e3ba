package nb

import "strings"

// SplitParams reads a notebook flag of model parameters separated by ';'
// ("leaf_prediction=mc; seed=42"): one flag can hold them all where the CLI
// repeats --param. Empty items are left out.
func SplitParams(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ";") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
